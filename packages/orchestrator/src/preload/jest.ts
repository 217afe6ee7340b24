/**
 * Jest: every way of starting it (its bin, `jest-cli`, `@jest/core`'s `runCLI`, an Nx or
 * other executor) reads its configuration through `jest-config`'s `readConfigs`, looked up
 * on the module's exports at each call (Jest 27 to 30; an older Jest: runner-support.ts).
 * The preload wraps it when Jest's process loads `jest-config`, and adds the adapter to
 * the reporters Jest resolved, from the config or the command line alike: Jest loads it by
 * absolute path with Node's own loader, and the user's command line, argv and config files
 * stay as they were.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { INJECTED_OPTION } from '@3pio/ipc/injection';
import { injectionFor } from './injection-state.js';
import { escapeRegExp, narrowingFor, type Narrowing } from './narrowing.js';
import { announceUnsupported, isOlderThanSupported } from './runner-support.js';

type ReporterEntry = string | [string, Record<string, unknown>];

interface JestGlobalConfig {
  reporters?: ReporterEntry[];
  verbose?: boolean;
  watch?: boolean;
  watchAll?: boolean;
  onlyChanged?: boolean;
}

interface ReadConfigsResult {
  globalConfig: JestGlobalConfig & { rootDir?: string };
}

type ReadConfigs = (argv: Record<string, unknown>, ...rest: unknown[]) => Promise<ReadConfigsResult>;

/** jest-config's version: Jest's own, as every Jest package is released together. */
function versionOf(jestConfigEntry: string): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(join(dirname(jestConfigEntry), '..', 'package.json'), 'utf8')) as { version?: unknown };
    return typeof manifest.version === 'string' ? manifest.version : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Jest before 30.5 keeps no console output for a verbose run (jestjs/jest#12168), and turns
 * verbose on by itself for a single test file; the adapter reads the output from there.
 */
function needsVerboseOff(version: string | undefined): boolean {
  const [major = 0, minor = 0] = (version ?? '').split('.').map(Number);
  return major < 30 || (major === 30 && minor < 5);
}

/**
 * The argv of `jest <files> -t <tests>` for a `3pio --failed` run: the files as path
 * patterns matching only themselves (Jest 27 to 30 read positional arguments as
 * patterns), the user's own path patterns dropped, nothing found no failure.
 */
function narrowedArgv(argv: Record<string, unknown>, { files, namePattern }: Narrowing): Record<string, unknown> {
  const narrowed: Record<string, unknown> = {
    ...argv,
    // No file: a pattern no path matches.
    _: files.length === 0 ? ['^(?!)$'] : files.map((file) => `^${escapeRegExp(file)}$`),
    passWithNoTests: true,
    runTestsByPath: false,
  };
  for (const key of [
    'testPathPattern',
    'testPathPatterns',
    'findRelatedTests',
    'onlyChanged',
    'o',
    'changedSince',
    'lastCommit',
    'onlyFailures',
    'f',
  ])
    delete narrowed[key];
  if (namePattern !== undefined) narrowed.testNamePattern = namePattern.source;
  return narrowed;
}

export function injectIntoJestConfig(exports: unknown, filename: string, ipcPath: string, preloadPath: string): void {
  const module = exports as { readConfigs?: unknown } | undefined;
  const original = module?.readConfigs;
  if (module === undefined || typeof original !== 'function') return;
  const readConfigs = original as ReadConfigs;
  const version = versionOf(filename);
  if (version !== undefined && isOlderThanSupported('jest', version)) {
    // Jest runs untouched, its reporters its own; 3pio says why it has no results for it.
    module.readConfigs = function readConfigsUnsupported(this: unknown, ...args: [Record<string, unknown>, ...unknown[]]) {
      announceUnsupported('jest', version, ipcPath, preloadPath);
      return readConfigs.apply(this, args);
    };
    return;
  }
  module.readConfigs = async function readConfigsWithAdapter(this: unknown, argv: Record<string, unknown>, ...rest: unknown[]) {
    let result = await readConfigs.call(this, argv, ...rest);
    const narrowing = narrowingFor(preloadPath, 'jest', result.globalConfig.rootDir ?? process.cwd());
    // `3pio --failed`: the configs again, with the command line Jest would have had for those files and tests.
    if (narrowing !== undefined) result = await readConfigs.call(this, narrowedArgv(argv, narrowing), ...rest);
    const injection = injectionFor(ipcPath, preloadPath);
    if (narrowing !== undefined) injection.note('jest', narrowing.note);
    injection.add('jest');
    const { globalConfig } = result;
    const changes: JestGlobalConfig = {
      reporters: [...(globalConfig.reporters ?? [['default', {}]]), [require.resolve('@3pio/adapter-jest'), { [INJECTED_OPTION]: true }]],
    };
    if (needsVerboseOff(version)) changes.verbose = false;
    if (globalConfig.watch === true || globalConfig.watchAll === true) {
      changes.watch = false;
      changes.watchAll = false;
      // --watch implies --onlyChanged; asked for by itself, it stays.
      if (argv.onlyChanged !== true && argv.o !== true) changes.onlyChanged = false;
      injection.note('jest', 'watch mode turned off: 3pio runs the tests once');
    }
    return { ...result, globalConfig: Object.freeze({ ...globalConfig, ...changes }) };
  };
}
