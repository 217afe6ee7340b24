/**
 * 3pio's preload: `3pio <command>` adds the session's preload file to NODE_OPTIONS
 * (session-env.ts), which calls startSession() first thing in every Node process of the
 * command (package managers, task runners, scripts, the runners, tsc, eslint…). Here it
 * decides, cheaply, whether the process will
 * run Jest, Vitest or Mocha, and only then registers the adapter inside the runner
 * (jest.ts, mocha.ts, vitest.ts): the command line, argv and config files stay as the user
 * wrote them. Everywhere else it costs one environment lookup, or, in the session's
 * processes, a wrapper around Node's CommonJS compile step that compares the file name.
 *
 * Which path a process takes:
 *   - Jest: when the process loads `jest-config` (its bin, jest-cli, `runCLI` from a script
 *     or an executor): readConfigs gets the adapter.
 *   - Mocha: when the process loads `mocha/lib/mocha.js` (its bin, `new Mocha()`): run()
 *     gets the adapter; `lib/cli/run-helpers.js`: watch mode off.
 *   - Vitest: when the process's main script is Vitest's bin, or a script of the user's that
 *     names Vitest (its API from `vitest/node`): the Vitest class gets the adapter.
 *   - In a runner's process, once its run starts, the session leaves the environment
 *     (session-env.ts): its workers and the processes its tests start run without it.
 */
import { sep } from 'node:path';

type Patch = (exports: unknown, filename: string, session: Session) => void;

interface Session {
  ipcPath: string;
  /** The session's preload file, as NODE_OPTIONS names it. */
  preloadPath: string;
}

interface CompiledModule {
  exports: unknown;
}

type Compile = (this: CompiledModule, content: string, filename: string, ...rest: unknown[]) => unknown;

/* eslint-disable @typescript-eslint/no-require-imports -- each runner's part is loaded only in a process that runs it */
const PATCHES = (
  [
    [
      'jest-config/build/index.js',
      (exports, filename, { ipcPath, preloadPath }) => {
        (require('./jest.js') as typeof import('./jest.js')).injectIntoJestConfig(exports, filename, ipcPath, preloadPath);
      },
    ],
    [
      'mocha/lib/mocha.js',
      (exports, filename, { ipcPath, preloadPath }) => {
        (require('./mocha.js') as typeof import('./mocha.js')).injectIntoMocha(exports, filename, ipcPath, preloadPath);
      },
    ],
    [
      'mocha/lib/cli/run-helpers.js',
      (exports, filename, { ipcPath, preloadPath }) => {
        (require('./mocha.js') as typeof import('./mocha.js')).singleRunMocha(exports, filename, ipcPath, preloadPath);
      },
    ],
  ] satisfies [string, Patch][]
).map(([suffix, patch]): [string, Patch] => [`${sep}${suffix.replaceAll('/', sep)}`, patch]);

/** After Node compiles a CommonJS module: a runner's module gets its patch, before anything uses it. */
function hookCompile(session: Session): void {
  const Module = require('node:module') as unknown as { prototype: { _compile: Compile } };
  const compile = Module.prototype._compile;
  Module.prototype._compile = function compileAndPatch(this: CompiledModule, content: string, filename: string, ...rest: unknown[]) {
    const result = compile.call(this, content, filename, ...rest);
    for (const [suffix, patch] of PATCHES) {
      // A runner loaded in a worker thread is a test's (a runner's own workers are processes
      // that the session has left): asked only now, node:worker_threads costs ~5 ms to load.
      if (filename.endsWith(suffix) && (require('node:worker_threads') as typeof import('node:worker_threads')).isMainThread) {
        try {
          patch(this.exports, filename, session);
        } catch {
          // The runner runs as it would without 3pio; 3pio then says that no runner reported.
        }
      }
    }
    return result;
  };
}

/** Vitest is ES modules, which compile no CommonJS: it is known by the main script instead. */
function watchForVitest(main: string, { ipcPath, preloadPath }: Session): void {
  const name = main.slice(main.lastIndexOf(sep) + 1);
  const isBin = name === 'vitest' || name === 'vitest.mjs';
  const isUserScript = !isBin && /\.[cm]?[jt]s$/.test(name) && !main.includes(`${sep}node_modules${sep}`);
  if (!isBin && !isUserScript) return;
  const vitest = require('./vitest.js') as typeof import('./vitest.js');
  const dir = isBin ? vitest.vitestPackageOfBin(main) : vitest.vitestPackageOfScript(main);
  if (dir !== undefined) vitest.injectIntoVitest(dir, ipcPath, preloadPath);
}
/* eslint-enable @typescript-eslint/no-require-imports */

const SESSION = Symbol.for('3pio.session');

/** The session this process runs in, if a session's preload started here: a 3pio started inside it reports nothing itself. */
export function currentSession(): Session | undefined {
  return (globalThis as unknown as Record<typeof SESSION, Session | undefined>)[SESSION];
}

/** Called by the session's preload file with the session's IPC file and its own path. */
export function startSession(ipcPath: string, preloadPath: string): void {
  // Worker threads run preloads too: they have no main script, and runners they load are
  // left alone (hookCompile).
  if (currentSession() !== undefined) return;
  const session: Session = { ipcPath, preloadPath };
  (globalThis as unknown as Record<typeof SESSION, Session>)[SESSION] = session;
  hookCompile(session);
  const main = process.argv[1];
  if (main !== undefined) watchForVitest(main, session);
}
