// @ts-check
/**
 * The README's quick start: runs 3pio on each bundled example project (one per
 * runner), installing the project's runner first when it is not there yet, so you can
 * see what 3pio prints and look at the reports it leaves in each project's .3pio/.
 * Each example has one failing test on purpose.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const examples = fileURLToPath(new URL('.', import.meta.url));
const cli = join(examples, '..', 'packages', 'orchestrator', 'dist', 'cli', 'main.js');
const env = { ...process.env };
delete env.THREEPIO_IPC_PATH;

for (const runner of ['jest', 'vitest', 'mocha']) {
  const dir = join(examples, runner);
  if (!existsSync(join(dir, 'node_modules'))) {
    process.stdout.write(`Installing ${runner} for examples/${runner} …\n`);
    const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--no-package-lock'], { cwd: dir, stdio: 'inherit', env });
    if (install.status !== 0) process.exit(install.status ?? 1);
  }
  process.stdout.write(`\n$ cd examples/${runner} && npx 3pio npm test\n`);
  const run = spawnSync(process.execPath, [cli, 'npm', 'test'], { cwd: dir, stdio: 'inherit', env });
  process.stdout.write(`(3pio exited with ${run.status}: the runner's own exit code; each example has a failing test on purpose)\n`);
}
process.stdout.write('\nThe reports are in examples/<runner>/.3pio/runs/<run id>/: start with test-run.md.\n');
