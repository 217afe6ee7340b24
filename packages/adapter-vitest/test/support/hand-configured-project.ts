/**
 * A fixture project whose reporter is configured by package name, so `@3pio/adapter-vitest`
 * must resolve from the project. The installed runner's node_modules is shared by every
 * test, so it is not written into: the project gets a node_modules of its own, made of
 * symlinks to the runner's packages plus the workspace's @3pio packages.
 */
import { cp, mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot, type FixtureProject } from '../../../../tools/test-kit/index.js';
import { fixturesDir, installVitest, packageDir, pinVitestVersion, type VitestVersion } from './vitest-runs.js';

export async function handConfiguredProject(name: string, version: VitestVersion): Promise<FixtureProject> {
  const runnerModules = join(await installVitest(version), 'node_modules');
  const dir = await mkdtemp(join(tmpdir(), '3pio-fixture-'));
  await cp(join(fixturesDir, name), dir, { recursive: true });
  await pinVitestVersion(dir, version);
  const modules = join(dir, 'node_modules');
  await mkdir(join(modules, '@3pio'), { recursive: true });
  for (const entry of await readdir(runnerModules)) {
    if (entry === '@3pio') continue;
    await symlink(join(runnerModules, entry), join(modules, entry), 'dir');
  }
  await symlink(packageDir, join(modules, '@3pio', 'adapter-vitest'), 'dir');
  await symlink(join(workspaceRoot, 'packages', 'ipc'), join(modules, '@3pio', 'ipc'), 'dir');
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
