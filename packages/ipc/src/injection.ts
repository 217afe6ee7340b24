/**
 * How 3pio's preload and an adapter it registered find each other inside a runner's
 * process (`@3pio/ipc/injection`). The preload (in the `3pio` package) decides that a
 * process is a runner's main process and adds the adapter there; the adapter, possibly
 * another copy of the package, learns from here where the session's events go, and a
 * copy the user configured by hand learns that it must stand aside so that no test is
 * reported twice. A global, not a module variable: the two sides may load different
 * copies of this module. No dependencies: the preload loads it in processes that are
 * about to run tests, and nothing more.
 */

export type InjectedRunner = 'jest' | 'vitest' | 'mocha';

export interface Injection {
  /** The session's IPC file. */
  readonly ipcPath: string;
  /** The runners whose adapter 3pio registered in this process. */
  readonly runners: ReadonlySet<InjectedRunner>;
  /** What 3pio changed in that runner's run, for the user to know (sent in runStart's notes). */
  notes(runner: InjectedRunner): string[];
  /**
   * An injected adapter's run starts: from here on the process is a runner's, and what it
   * starts (workers, the tests' own processes) must not inherit the preload.
   */
  runStarting(): void;
}

const KEY = Symbol.for('3pio.injection');

type Holder = Record<typeof KEY, Injection | undefined>;

export function currentInjection(): Injection | undefined {
  return (globalThis as unknown as Holder)[KEY];
}

export function installInjection(injection: Injection): void {
  (globalThis as unknown as Holder)[KEY] = injection;
}

/** The reporter option 3pio gives the adapters it registers (JSON, so that Jest can hand its config to workers). */
export const INJECTED_OPTION = 'threepioInjected';

export type AdapterRole =
  /** Registered by 3pio: its events go to the session. */
  | { kind: 'injected'; injection: Injection }
  /** Configured by hand in a process where 3pio registered its own: it reports nothing. */
  | { kind: 'standing-aside' }
  /** Configured by hand, no 3pio in the process: THREEPIO_IPC_PATH, or a file of its own. */
  | { kind: 'own' };

/** What an adapter instance for `runner`, constructed with `options`, should be. */
export function adapterRole(runner: InjectedRunner, options: unknown): AdapterRole {
  const injection = currentInjection();
  if (injection === undefined || !injection.runners.has(runner)) return { kind: 'own' };
  const injected = typeof options === 'object' && options !== null && (options as Record<string, unknown>)[INJECTED_OPTION] === true;
  return injected ? { kind: 'injected', injection } : { kind: 'standing-aside' };
}
