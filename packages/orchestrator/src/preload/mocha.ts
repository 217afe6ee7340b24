/**
 * Mocha (8 to 11; an older Mocha: runner-support.ts): every run, from its bin or `new Mocha()` in a script, goes through
 * `Mocha.prototype.run`, which constructs the reporter Mocha resolved (`this._reporter`:
 * Spec, or what the user chose on the command line or in .mocharc). The preload patches
 * `run` when Mocha's process loads `lib/mocha.js`, so that the reporter constructed is
 * the adapter, running the user's reporter inside itself: Mocha allows only one. The CLI's
 * watch mode is turned off in `lib/cli/run-helpers.js`'s `runMocha`, where Mocha decides it.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { InjectedRunner } from '@3pio/ipc/injection';
import { injectionFor } from './injection-state.js';
import { narrowingFor, type Narrowing } from './narrowing.js';
import { announceUnsupported, isOlderThanSupported } from './runner-support.js';

const RUNNER: InjectedRunner = 'mocha';
/** Marks the reporter the preload put in place, so that a second run of the same Mocha instance does not wrap it again. */
const INJECTED = Symbol.for('3pio.mocha.injected');

type ReporterClass = (new (runner: unknown, options: unknown) => unknown) & { [INJECTED]?: true };
type AdapterClass = new (runner: unknown, options: unknown, injected: { reporter: ReporterClass }) => unknown;

interface Runnables {
  suites?: { file?: string }[];
  tests?: { file?: string }[];
}

interface MochaInstance {
  _reporter?: ReporterClass;
  files?: string[];
  suite?: Runnables;
  options?: { invert?: boolean };
  grep?(pattern: RegExp): unknown;
}

/**
 * `3pio --failed`: only the files and tests that failed last time, as `mocha <files> --grep
 * <tests>` would run. Mocha's CLI has loaded the files by now (serial mode): the other
 * files' suites and tests leave the root suite; in parallel mode the workers load only
 * the files left.
 */
function narrow(mocha: MochaInstance, narrowing: Narrowing): void {
  const failing = new Set(narrowing.files);
  const kept = (runnable: { file?: string }) => runnable.file !== undefined && failing.has(resolve(runnable.file));
  if (Array.isArray(mocha.files)) mocha.files = mocha.files.filter((file) => failing.has(resolve(file)));
  const root = mocha.suite;
  if (root !== undefined && Array.isArray(root.suites) && Array.isArray(root.tests)) {
    root.suites = root.suites.filter(kept);
    root.tests = root.tests.filter(kept);
  }
  if (narrowing.namePattern === undefined || typeof mocha.grep !== 'function') return;
  mocha.grep(narrowing.namePattern);
  if (mocha.options !== undefined) mocha.options.invert = false;
}

/** The version of the Mocha that `filename` (a module of its `lib/`) belongs to. */
function mochaVersion(filename: string): string | undefined {
  for (let dir = dirname(filename), up = 0; up < 3; dir = dirname(dir), up += 1) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (manifest.name === 'mocha') return typeof manifest.version === 'string' ? manifest.version : undefined;
    } catch {
      // No package.json here: lib/ and lib/cli/ have none.
    }
  }
  return undefined;
}

/** A Mocha older than 3pio supports: set when its `lib/mocha.js` loads, and Mocha is left as it is. */
function unsupportedVersion(filename: string): string | undefined {
  const version = mochaVersion(filename);
  return version !== undefined && isOlderThanSupported(RUNNER, version) ? version : undefined;
}

export function injectIntoMocha(exports: unknown, filename: string, ipcPath: string, preloadPath: string): void {
  const prototype = (exports as { prototype?: { run?: unknown } } | undefined)?.prototype;
  const original = prototype?.run;
  if (prototype === undefined || typeof original !== 'function') return;
  const run = original as (this: MochaInstance, ...args: unknown[]) => unknown;
  const unsupported = unsupportedVersion(filename);
  if (unsupported !== undefined) {
    let announced = false;
    prototype.run = function runUnsupported(this: MochaInstance, ...args: unknown[]) {
      if (!announced) announceUnsupported(RUNNER, unsupported, ipcPath, preloadPath);
      announced = true;
      return run.apply(this, args);
    };
    return;
  }
  prototype.run = function runWithAdapter(this: MochaInstance, ...args: unknown[]) {
    const user = this._reporter;
    if (typeof user === 'function' && user[INJECTED] !== true) {
      const injection = injectionFor(ipcPath, preloadPath);
      injection.add(RUNNER);
      injection.runStarting();
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the adapter is loaded only in a process that runs Mocha
      const Adapter = require('@3pio/adapter-mocha') as AdapterClass;
      // Mocha calls `new this._reporter(runner, options)`: a constructor that returns the adapter.
      const injected = function InjectedReporter(runner: unknown, options: unknown) {
        return new Adapter(runner, options, { reporter: user });
      } as unknown as ReporterClass;
      injected[INJECTED] = true;
      this._reporter = injected;
      const narrowing = narrowingFor(preloadPath, RUNNER, process.cwd());
      if (narrowing !== undefined) {
        narrow(this, narrowing);
        injection.note(RUNNER, narrowing.note);
      }
    }
    return run.apply(this, args);
  };
}

export function singleRunMocha(exports: unknown, filename: string, ipcPath: string, preloadPath: string): void {
  const module = exports as { runMocha?: unknown } | undefined;
  const original = module?.runMocha;
  if (module === undefined || typeof original !== 'function' || unsupportedVersion(filename) !== undefined) return;
  const runMocha = original as (mocha: unknown, options: { watch?: unknown }, ...rest: unknown[]) => unknown;
  module.runMocha = function runMochaOnce(this: unknown, mocha: unknown, options: { watch?: unknown }, ...rest: unknown[]) {
    if (options.watch === true) {
      injectionFor(ipcPath, preloadPath).note(RUNNER, 'watch mode turned off: 3pio runs the tests once');
      return runMocha.call(this, mocha, { ...options, watch: false }, ...rest);
    }
    return runMocha.call(this, mocha, options, ...rest);
  };
}
