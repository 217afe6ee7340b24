/**
 * A fixture project whose reporter is configured by package name, so `@3pio/adapter-vitest`
 * must resolve from the project, as from a user's install.
 */
import { join } from 'node:path';
import { createFixtureProject, linkWorkspacePackages, type FixtureProject } from '../../../../tools/test-kit/index.js';
import { fixturesDir, installVitest, pinVitestVersion, type VitestVersion } from './vitest-runs.js';

export async function handConfiguredProject(name: string, version: VitestVersion): Promise<FixtureProject> {
  const runnerDir = await installVitest(version);
  const project = await createFixtureProject(join(fixturesDir, name), runnerDir);
  await pinVitestVersion(project.dir, version);
  await linkWorkspacePackages(project.dir, runnerDir, ['adapter-vitest', 'ipc']);
  return project;
}
