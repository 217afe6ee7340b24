/**
 * Vitest (2.1 to 4; an older Vitest: runner-support.ts) is ES modules, which Node 20 loads
 * without a synchronous hook. Its whole
 * run is driven by one class, `Vitest`, defined in the chunk that also defines
 * `createVitest` (`dist/chunks/cli-api.<hash>.js`, named by `dist/node.js`). The preload
 * imports that chunk as soon as it knows the process will run Vitest: the same module
 * instance the CLI then uses, evaluated before Vitest reads its config. It patches the
 * class's prototype: `_setServer`, where Vitest resolves its config and creates the
 * reporters, gets the adapter added to them as an object (never by a path that Vite's
 * module loader would have to resolve, which Vite 6 refuses outside the project root),
 * and watch mode turned off. `start`, `init` and `mergeReports` add it too, should the
 * import have been slower than Vitest (it never was: the config is read from disk first).
 * Vitest 2.1 names the method `setServer`, and does not export the class: the class is
 * found through the instance its first Logger is made for (patchThroughLogger).
 */
import { readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { INJECTED_OPTION, type InjectedRunner } from '@3pio/ipc/injection';
import { injectionFor, type PreloadInjection } from './injection-state.js';
import { narrowingFor } from './narrowing.js';
import { announceUnsupported, isOlderThanSupported } from './runner-support.js';

const RUNNER: InjectedRunner = 'vitest';

interface VitestInstance {
  mode?: string;
  reporters?: unknown[];
  _cliOptions?: { watch?: unknown };
  config?: { root?: string; passWithNoTests?: boolean; testNamePattern?: RegExp };
  setGlobalTestNamePattern?(pattern: RegExp): void;
}

type Method = (this: VitestInstance, ...args: unknown[]) => unknown;
type AdapterClass = new (options: Record<string, unknown>) => object;

/** The directory of the `vitest` package whose bin `main` is (`vitest.mjs`, or a `.bin/vitest` link to it), if it is one. */
export function vitestPackageOfBin(main: string): string | undefined {
  try {
    const real = realpathSync(main);
    if (basename(real) !== 'vitest.mjs') return undefined;
    const dir = dirname(real);
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name === 'vitest' ? dir : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The `vitest` package a script run by Node (`node scripts/test.mjs`) would start through
 * Vitest's API (`startVitest`, `createVitest` from `vitest/node`): a script of the user's,
 * not a package's, whose text names Vitest, and the Vitest it would import.
 */
export function vitestPackageOfScript(main: string): string | undefined {
  try {
    if (!readFileSync(main, 'utf8').includes('vitest')) return undefined;
  } catch {
    return undefined;
  }
  // As Node looks for a package (Vitest 3 exports no `./package.json` to resolve).
  for (let dir = dirname(main); ; dir = dirname(dir)) {
    try {
      return realpathSync(join(dir, 'node_modules', 'vitest'));
    } catch {
      if (dirname(dir) === dir) return undefined;
    }
  }
}

/** `dist/node.js` re-exports `createVitest` from the chunk that defines the `Vitest` class. */
function coreChunk(vitestDir: string): string | undefined {
  const entry = readFileSync(join(vitestDir, 'dist', 'node.js'), 'utf8');
  const from = /export\s*\{[^}]*\bas createVitest\b[^}]*\}\s*from\s*['"](\.\/[^'"]+)['"]/.exec(entry)?.[1];
  return from === undefined ? undefined : join(vitestDir, 'dist', from);
}

/** Where Vitest resolves its config and creates its reporters: `_setServer` (3, 4), `setServer` (2.1). */
function setServerName(prototype: Record<string, unknown>): '_setServer' | 'setServer' | undefined {
  if (typeof prototype._setServer === 'function') return '_setServer';
  return typeof prototype.setServer === 'function' && typeof prototype.start === 'function' ? 'setServer' : undefined;
}

function isVitestClass(value: unknown): value is { prototype: Record<string, unknown> } {
  const prototype = (value as { prototype?: unknown } | undefined)?.prototype;
  return (
    typeof value === 'function' &&
    typeof prototype === 'object' &&
    prototype !== null &&
    setServerName(prototype as Record<string, unknown>) !== undefined
  );
}

/** The package's version, undefined when unreadable. */
function vitestVersion(vitestDir: string): string | undefined {
  try {
    const { version } = JSON.parse(readFileSync(join(vitestDir, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}

/** The adapters the preload added: a copy of the same class configured by the user is not one of them, and stands aside. */
const added = new WeakSet();

function addAdapter(vitest: VitestInstance, injection: PreloadInjection, Adapter: AdapterClass): void {
  const reporters = vitest.reporters;
  if (vitest.mode === 'benchmark' || !Array.isArray(reporters) || reporters.some((reporter) => added.has(reporter as object))) return;
  const adapter = new Adapter({ [INJECTED_OPTION]: true });
  added.add(adapter);
  reporters.push(adapter);
  injection.add(RUNNER);
}

function patch(prototype: Record<string, unknown>, injection: PreloadInjection): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the adapter is loaded only in a process that runs Vitest
  const Adapter = require('@3pio/adapter-vitest') as AdapterClass;
  // Before Vitest constructs any reporter: a copy of the adapter the user configured stands aside.
  injection.add(RUNNER);
  const name = setServerName(prototype);
  if (name === undefined) return;
  const setServer = prototype[name] as Method;
  prototype[name] = async function setServerWithAdapter(this: VitestInstance, ...args: unknown[]) {
    if (this.mode !== 'benchmark') {
      // Vitest's pool starts after this: its workers must not inherit the session.
      injection.runStarting();
      const options = args[0] as { watch?: unknown } | undefined;
      if (options?.watch === true) injection.note(RUNNER, 'watch mode turned off: 3pio runs the tests once');
      if (options !== undefined) options.watch = false;
      if (this._cliOptions !== undefined) this._cliOptions.watch = false;
    }
    const result = await setServer.apply(this, args);
    addAdapter(this, injection, Adapter);
    return result;
  };
  for (const name of ['start', 'init', 'mergeReports']) {
    const method = prototype[name];
    if (typeof method !== 'function') continue;
    prototype[name] = function withAdapter(this: VitestInstance, ...args: unknown[]) {
      addAdapter(this, injection, Adapter);
      if (name === 'start') return (method as Method).apply(this, narrowedStart(this, injection, args));
      return (method as Method).apply(this, args);
    };
  }
}

/**
 * `3pio --failed`: `start(filters)` runs only the files that failed last time (an absolute
 * filter matches its file alone), their failing tests selected as `-t` would.
 */
function narrowedStart(vitest: VitestInstance, injection: PreloadInjection, args: unknown[]): unknown[] {
  const config = vitest.config;
  const narrowing = config === undefined ? undefined : narrowingFor(injection.preloadPath, RUNNER, config.root ?? process.cwd());
  if (config === undefined || narrowing === undefined) return args;
  injection.note(RUNNER, narrowing.note);
  config.passWithNoTests = true;
  const pattern = narrowing.namePattern;
  if (pattern !== undefined) {
    if (typeof vitest.setGlobalTestNamePattern === 'function') vitest.setGlobalTestNamePattern(pattern);
    else config.testNamePattern = pattern;
  }
  // No file: a filter no path contains.
  return [narrowing.files.length === 0 ? ['\0'] : narrowing.files, ...args.slice(1)];
}

/**
 * Vitest 2.1's chunk exports no `Vitest` class, but imports its `Logger`, which the Vitest
 * constructor makes first thing (`new Logger(this)`), and whose constructor calls
 * `registerUnhandledRejection` with the instance in `this.ctx`: the first call leads to the
 * class, patched before the instance's `setServer` runs. The Logger's module is imported at
 * once, not after the chunk: Vitest's CLI imports the chunk too, and makes its instance as
 * soon as it has it.
 */
async function patchThroughLogger(chunk: string, injection: PreloadInjection): Promise<void> {
  const text = readFileSync(chunk, 'utf8');
  const match = /import\s*\{[^}]*\b(\w+) as Logger\b[^}]*\}\s*from\s*['"](\.\/[^'"]+)['"]/.exec(text);
  if (match === null) return;
  const [, exported = '', from = ''] = match;
  const namespace = (await import(pathToFileURL(join(dirname(chunk), from)).href)) as Record<string, unknown>;
  const prototype = (namespace[exported] as { prototype?: Record<string, unknown> } | undefined)?.prototype;
  const register = prototype?.registerUnhandledRejection;
  if (prototype === undefined || typeof register !== 'function') return;
  let found = false;
  prototype.registerUnhandledRejection = function findVitest(this: { ctx?: unknown }, ...args: unknown[]) {
    const ctx = this.ctx;
    if (!found && typeof ctx === 'object' && ctx !== null) {
      const Vitest = (ctx as { constructor?: unknown }).constructor;
      if (isVitestClass(Vitest)) {
        found = true;
        patch(Vitest.prototype, injection);
      }
    }
    return (register as (...args: unknown[]) => unknown).apply(this, args);
  };
}

/**
 * Registers the adapter with the Vitest in `vitestDir`, which this process is about to run.
 * Asynchronous (an ES module import); failures go nowhere visible: the user's run goes on
 * as it would without 3pio, and 3pio reports that no runner reported. A Vitest older than
 * 3pio supports is left as it is, and 3pio says so.
 */
export function injectIntoVitest(vitestDir: string, ipcPath: string, preloadPath: string): void {
  const version = vitestVersion(vitestDir);
  if (version !== undefined && isOlderThanSupported(RUNNER, version)) {
    announceUnsupported(RUNNER, version, ipcPath, preloadPath);
    return;
  }
  const injection = injectionFor(ipcPath, preloadPath);
  let chunk: string | undefined;
  try {
    chunk = coreChunk(vitestDir);
  } catch {
    return;
  }
  if (chunk === undefined) return;
  if (version?.startsWith('2.') === true) {
    patchThroughLogger(chunk, injection).catch(() => undefined);
    return;
  }
  import(pathToFileURL(chunk).href).then(
    (namespace: Record<string, unknown>) => {
      const Vitest = Object.values(namespace).find(isVitestClass);
      if (Vitest !== undefined) patch(Vitest.prototype, injection);
    },
    () => undefined,
  );
}
