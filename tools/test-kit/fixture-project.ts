/**
 * A fixture project, copied to a fresh temporary directory so that runs never touch
 * the committed files, with `node_modules` linked to an installed runner.
 */
import { cp, mkdir, mkdtemp, readdir, rm, symlink, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from './install-packages.js';

export interface FixtureProject {
  dir: string;
  remove: () => Promise<void>;
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

/**
 * Makes a fixture project look as if the user had installed 3pio packages next to the
 * runner, so that they resolve by package name (`reporters: ['@3pio/adapter-jest']`):
 * its `node_modules` becomes a real directory of links to the runner's packages (the
 * shared runner install is never written to) and to `packages/<name>` of the workspace
 * for each `@3pio/<name>` asked for.
 */
export async function linkWorkspacePackages(projectDir: string, runnerDir: string, names: readonly string[]): Promise<void> {
  const modules = join(projectDir, 'node_modules');
  const runnerModules = join(runnerDir, 'node_modules');
  await unlink(modules);
  await mkdir(join(modules, '@3pio'), { recursive: true });
  for (const entry of await readdir(runnerModules)) {
    if (entry !== '@3pio') await symlink(join(runnerModules, entry), join(modules, entry), 'dir');
  }
  for (const name of names) await symlink(join(workspaceRoot, 'packages', name), join(modules, '@3pio', name), 'dir');
}
