/**
 * Vitest takes its reporters from the command line or from the config, never both (checked
 * on 3.2 and 4.1), so 3pio's reporter given on the command line would silently drop a
 * project's own (a JUnit reporter, say). When the project's config sets reporters, 3pio
 * runs Vitest with a config of its own, in the run directory, that imports the project's
 * (Vite's config loader bundles it, TypeScript and `import.meta` included; paths in it
 * stay relative to the project root) and adds 3pio's reporter to its list.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const VITEST_CONFIG = 'vitest.config.mjs';

/** Writes the wrapping config and returns its path. */
export function writeVitestConfig(projectConfig: string, adapter: string, runDir: string): string {
  const path = join(runDir, VITEST_CONFIG);
  const text = `// Written by 3pio for this run: ${projectConfig}, with 3pio's reporter added to its reporters.
import config from ${JSON.stringify(projectConfig)};

const adapter = ${JSON.stringify(adapter)};

function withAdapter(resolved) {
  const test = resolved.test ?? {};
  const reporters = test.reporters === undefined ? ['default'] : Array.isArray(test.reporters) ? test.reporters : [test.reporters];
  return { ...resolved, test: { ...test, reporters: [...reporters, adapter] } };
}

export default typeof config === 'function' ? async (env) => withAdapter(await config(env)) : withAdapter(await config);
`;
  writeFileSync(path, text, { mode: 0o600 });
  return path;
}
