/**
 * Jest takes its reporters from the command line or from the config, never both (checked
 * on 29.7 and 30.5), so 3pio's reporter given on the command line would silently drop a
 * project's own (jest-junit, say). When the project's config sets reporters, 3pio runs Jest
 * with a config of its own, in the run directory, that reads the project's the way Jest
 * does (jest-config's `readInitialOptions`: jest.config.*, package.json's "jest" key,
 * TypeScript configs as Jest loads them), keeps its `rootDir`, and adds 3pio's reporter.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const JEST_CONFIG = 'jest.config.cjs';

/**
 * The project's jest-config, as its Jest loads it: from the project, else from beside the
 * project's jest-cli (package managers that do not hoist it). Undefined when not found, or
 * older than 29.3, which has no `readInitialOptions`.
 */
export function jestConfigModule(projectRoot: string): string | undefined {
  const from = (id: string, dir: string) => {
    try {
      return require.resolve(id, { paths: [dir] });
    } catch {
      return undefined;
    }
  };
  const jest = from('jest/package.json', projectRoot);
  const cli = jest === undefined ? undefined : from('jest-cli/package.json', dirname(jest));
  const manifest =
    from('jest-config/package.json', projectRoot) ?? (cli === undefined ? undefined : from('jest-config/package.json', dirname(cli)));
  if (manifest === undefined) return undefined;
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string };
  const [major = 0, minor = 0] = (version ?? '0').split('.').map(Number);
  if (major < 29 || (major === 29 && minor < 3)) return undefined;
  return from(dirname(manifest), projectRoot);
}

/** Writes the wrapping config and returns its path. */
export function writeJestConfig(jestConfig: string, projectRoot: string, adapter: string, runDir: string): string {
  const path = join(runDir, JEST_CONFIG);
  const text = `// Written by 3pio for this run: the project's Jest config, with 3pio's reporter added to its reporters.
const { dirname, resolve } = require('node:path');
const { readInitialOptions } = require(${JSON.stringify(jestConfig)});

const projectRoot = ${JSON.stringify(projectRoot)};
const adapter = ${JSON.stringify(adapter)};

module.exports = async () => {
  const { config, configPath } = await readInitialOptions(undefined, { packageRootOrConfig: projectRoot });
  // rootDirs are relative to the project's config file, which is not this one; so are inline projects'.
  const base = configPath ? dirname(configPath) : projectRoot;
  const rootDir = resolve(base, config.rootDir ?? '.');
  const projects = Array.isArray(config.projects)
    ? config.projects.map((project) => (typeof project === 'object' && project !== null ? { ...project, rootDir: resolve(base, project.rootDir ?? '.') } : project))
    : config.projects;
  return { ...config, rootDir, ...(projects === undefined ? {} : { projects }), reporters: [...(config.reporters ?? ['default']), adapter] };
};
`;
  writeFileSync(path, text, { mode: 0o600 });
  return path;
}
