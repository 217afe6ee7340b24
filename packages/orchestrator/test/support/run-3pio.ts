/**
 * Running the built `3pio` on a fixture project the way a user would, for the CLI tests.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runProcess, type ProcessResult } from '../../../../tools/test-kit/index.js';

export const cli = resolve(__dirname, '..', '..', 'dist', 'cli', 'main.js');

/** The test process's environment without a session of its own (the suite may itself run under 3pio) and without colours. */
export function cleanEnv(): NodeJS.ProcessEnv {
  const copy: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete copy.THREEPIO_IPC_PATH;
  return copy;
}

/** `3pio <command…>` in `dir`. */
export function run3pio(dir: string, command: string[]): Promise<ProcessResult> {
  return runProcess(process.execPath, [cli, ...command], { cwd: dir, env: cleanEnv() });
}

/** The run directory of the project's only 3pio run. */
export function onlyRunDir(projectDir: string): string {
  const runsDir = join(projectDir, '.3pio', 'runs');
  const [only] = readdirSync(runsDir);
  if (only === undefined) throw new Error(`no run in ${runsDir}`);
  return join(runsDir, only);
}
