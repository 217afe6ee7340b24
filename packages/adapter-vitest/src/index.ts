/**
 * `@3pio/adapter-vitest`: a Vitest reporter that turns Vitest's reporter hooks into
 * @3pio/ipc events. CommonJS with the class as `module.exports`: Vitest takes that as the
 * default export, both by absolute path (`--reporter=/abs/dist/index.js`) and by package name.
 * The class also understands Vitest 2.1's older hooks (vitest2/hooks.ts).
 */
import { ThreePioVitestReporterWithVitest2 } from './vitest2/hooks.js';

export = ThreePioVitestReporterWithVitest2;
