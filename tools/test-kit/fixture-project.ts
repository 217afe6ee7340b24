/**
 * A fixture project, copied to a fresh temporary directory so that runs never touch
 * the committed files, with `node_modules` linked to an installed runner.
 */
import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FixtureProject {
  dir: string;
  remove(): Promise<void>;
}

export async function createFixtureProject(fixtureDir: string, runnerDir: string): Promise<FixtureProject> {
  const dir = await mkdtemp(join(tmpdir(), '3pio-fixture-'));
  // An example project may have its own installs and runs (npm run demo): leave them behind.
  await cp(fixtureDir, dir, {
    recursive: true,
    filter: (source) => !/[\\/](node_modules|\.3pio)([\\/]|$)/.test(source.slice(fixtureDir.length)),
  });
  await symlink(join(runnerDir, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
