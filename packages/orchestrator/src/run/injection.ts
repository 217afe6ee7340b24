/**
 * What 3pio adds to a runner's command line to load its adapter, per runner, and what
 * the adapter needs to know about the user's own setup.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Injection } from '../command/plan.js';
import type { RunnerName } from '../command/runners.js';
import { jestConfigModule, writeJestConfig } from './jest-config.js';
import { writeVitestConfig } from './vitest-config.js';

export function adapterPath(runner: RunnerName): string {
  return require.resolve(`@3pio/adapter-${runner}`);
}

function installedVersion(pkg: string, projectRoot: string): string | undefined {
  try {
    const path = require.resolve(`${pkg}/package.json`, { paths: [projectRoot] });
    return (JSON.parse(readFileSync(path, 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/**
 * Jest before 30.5 keeps no console output for a single-file or verbose run unless
 * `--verbose=false` is given (jest#12168); the adapter reads the output from there.
 */
function jestNeedsVerboseFalse(projectRoot: string): boolean {
  const version = installedVersion('jest', projectRoot);
  if (version === undefined) return true;
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major < 30 || (major === 30 && minor < 5);
}

function optionValue(args: string[], names: string[]): string | undefined {
  let value: string | undefined;
  for (const [i, arg] of args.entries()) {
    for (const name of names) {
      if (arg === name && args[i + 1] !== undefined) value = args[i + 1];
      else if (arg.startsWith(`${name}=`)) value = arg.slice(name.length + 1);
    }
  }
  return value;
}

/** The reporter the user asked Mocha for: on the command line, else in .mocharc.json or package.json. */
function mochaReporter(args: string[], projectRoot: string): string | undefined {
  const fromArgs = optionValue(args, ['--reporter', '-R']);
  if (fromArgs !== undefined) return fromArgs;
  for (const [file, pick] of [
    ['.mocharc.json', (json: Record<string, unknown>) => json],
    ['package.json', (json: Record<string, unknown>) => json.mocha],
  ] as const) {
    const path = join(projectRoot, file);
    if (!existsSync(path)) continue;
    try {
      const config = pick(JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) as
        { reporter?: unknown; R?: unknown } | undefined;
      const reporter = config?.reporter ?? config?.R;
      if (typeof reporter === 'string') return reporter;
    } catch {
      // An unreadable config is the runner's to complain about.
    }
  }
  return undefined;
}

const CONFIG_FILES: Record<'jest' | 'vitest', string[]> = {
  jest: ['js', 'ts', 'mjs', 'cjs', 'mts', 'cts', 'json'].map((ext) => `jest.config.${ext}`),
  vitest: ['vitest', 'vite'].flatMap((name) => ['ts', 'mts', 'cts', 'js', 'mjs', 'cjs'].map((ext) => `${name}.config.${ext}`)),
};

/** The config file the runner will read, as it looks for one (`--config`, else its default file names). */
function configFile(runner: 'jest' | 'vitest', args: string[], projectRoot: string): string | undefined {
  const given = optionValue(args, ['--config', '-c']);
  return (given === undefined ? CONFIG_FILES[runner] : [given]).find((name) => existsSync(join(projectRoot, name)));
}

function textOf(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** A first filter, from the text: reporters set in a base config the file imports are not seen. */
function setsReporters(path: string): boolean {
  return /\breporters\b/.test(textOf(path));
}

/**
 * Configs the wrapper cannot stand in for (found by running them through it on Vitest 3.2
 * and 4.1): CommonJS ones, which an ESM wrapper's bundling cannot load, and ones with a
 * `vitest.workspace` file beside them, which Vitest 3 looks for next to the config it runs.
 */
function vitestCannotWrap(config: string, projectRoot: string): boolean {
  const text = textOf(join(projectRoot, config));
  if (/\.c[jt]s$/.test(config) || /\brequire\(|\bmodule\.exports\b/.test(text)) return true;
  const dir = dirname(join(projectRoot, config));
  return ['ts', 'mts', 'cts', 'js', 'mjs', 'cjs', 'json'].some((ext) => existsSync(join(dir, `vitest.workspace.${ext}`)));
}

/**
 * The config file that sets reporters for this run, if 3pio can tell without running it
 * (`--config`, else the runner's default file names, else package.json's "jest" key):
 * Jest and Vitest take reporters from the command line or the config, not both.
 */
function configuredReporters(runner: 'jest' | 'vitest', args: string[], projectRoot: string): string | undefined {
  const config = configFile(runner, args, projectRoot);
  if (config !== undefined) return setsReporters(join(projectRoot, config)) ? config : undefined;
  const given = optionValue(args, ['--config', '-c']);
  if (runner !== 'jest' || given !== undefined) return undefined;
  try {
    const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { jest?: { reporters?: unknown } };
    return pkg.jest?.reporters === undefined ? undefined : 'package.json';
  } catch {
    return undefined;
  }
}

/** The user named reporters on the command line: they replace the config's anyway, and are the familiar output. */
function namesReporters(runner: 'jest' | 'vitest', args: string[]): boolean {
  return optionValue(args, [runner === 'jest' ? '--reporters' : '--reporter']) !== undefined;
}

function reportersNote(runner: 'jest' | 'vitest', args: string[], projectRoot: string): { note?: string } {
  if (namesReporters(runner, args)) return {};
  const config = configuredReporters(runner, args, projectRoot);
  if (config === undefined) return {};
  const name = runner === 'jest' ? 'Jest' : 'Vitest';
  return {
    note: `the reporters in ${config} do not run under 3pio: ${name} takes its reporters from the command line or the config, not both, and 3pio gives ${name}'s default reporter and its own on the command line`,
  };
}

/**
 * Jest with the project's reporters kept: when its config (a default file name or
 * package.json's "jest" key) sets reporters, a config of 3pio's reads it and adds 3pio's
 * (jest-config.ts). Not when the command line names a config or reporters of its own, or
 * 3pio cannot find the project's jest-config.
 */
function jestKeepingReporters(userArgs: string[], projectRoot: string, runDir: string, adapter: string): Injection | undefined {
  if (namesReporters('jest', userArgs) || optionValue(userArgs, ['--config', '-c']) !== undefined) return undefined;
  if (configuredReporters('jest', userArgs, projectRoot) === undefined) return undefined;
  const jestConfig = jestConfigModule(projectRoot);
  if (jestConfig === undefined) return undefined;
  return { args: ['--config', writeJestConfig(jestConfig, projectRoot, adapter, runDir)], env: {} };
}

/**
 * Vitest with the project's reporters kept: its default config file, when it sets
 * reporters, wrapped in one that adds 3pio's (vitest-config.ts). Not when the command line
 * names a config, a root or reporters of its own: then the reporters come from there.
 */
function vitestKeepingReporters(userArgs: string[], projectRoot: string, runDir: string, adapter: string): Injection | undefined {
  if (namesReporters('vitest', userArgs) || optionValue(userArgs, ['--config', '-c', '--root', '-r']) !== undefined) return undefined;
  const config = configFile('vitest', userArgs, projectRoot);
  if (config === undefined || !setsReporters(join(projectRoot, config)) || vitestCannotWrap(config, projectRoot)) return undefined;
  return { args: ['--config', writeVitestConfig(join(projectRoot, config), adapter, runDir)], env: {} };
}

/**
 * What to add to one runner's command, given the arguments the user gave it. `runDir`:
 * where a config 3pio writes for the run goes.
 */
export function injectionFor(runner: RunnerName, userArgs: string[], projectRoot: string, runDir: string): Injection {
  const adapter = adapterPath(runner);
  switch (runner) {
    case 'jest': {
      const verbose = jestNeedsVerboseFalse(projectRoot) ? ['--verbose=false'] : [];
      const keeping = jestKeepingReporters(userArgs, projectRoot, runDir, adapter);
      if (keeping !== undefined) return { ...keeping, args: [...verbose, ...keeping.args] };
      return {
        args: [...verbose, ...(namesReporters('jest', userArgs) ? [] : ['--reporters=default']), `--reporters=${adapter}`],
        env: {},
        ...reportersNote('jest', userArgs, projectRoot),
      };
    }
    case 'vitest':
      return (
        vitestKeepingReporters(userArgs, projectRoot, runDir, adapter) ?? {
          args: [...(namesReporters('vitest', userArgs) ? [] : ['--reporter=default']), `--reporter=${adapter}`],
          env: {},
          ...reportersNote('vitest', userArgs, projectRoot),
        }
      );
    case 'mocha': {
      // Mocha takes one reporter: the adapter runs the user's inside it.
      const reporter = mochaReporter(userArgs, projectRoot);
      return { args: ['--reporter', adapter], env: reporter === undefined ? {} : { THREEPIO_MOCHA_REPORTER: reporter } };
    }
  }
}
