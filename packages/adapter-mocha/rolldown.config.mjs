// The adapter ships as two self-contained CommonJS files, the two Mocha loads by path:
// `dist/index.js` (the reporter) and `dist/worker-reporter.js` (each --parallel worker's).
// One file instead of 23 modules resolved through package `exports` at start-up, which
// was the largest single share of the adapter's overhead on a short run (BENCHMARKS.md).
// @3pio/ipc is bundled from its sources (ES modules, so only what the adapter uses);
// tsc still type-checks and writes the declarations.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'rolldown';

const ipcAdapterSource = fileURLToPath(new URL('../ipc/src/adapter/index.ts', import.meta.url));

/** @param {string} name */
const bundle = (name) => ({
  input: { [name]: `src/${name}.ts` },
  platform: /** @type {const} */ ('node'),
  // Mocha is the project's own; proper-lockfile is loaded only on network file systems.
  external: [/^node:/, 'mocha', /^mocha\//, 'proper-lockfile'],
  resolve: {
    // Sources import each other as `./x.js` (NodeNext); the files are `./x.ts`.
    extensionAlias: { '.js': ['.ts', '.js'] },
    alias: { '@3pio/ipc/adapter': ipcAdapterSource },
  },
  output: { dir: 'dist', format: /** @type {const} */ ('cjs') },
});

export default defineConfig([bundle('index'), bundle('worker-reporter')]);
