/**
 * The preload's side of `@3pio/ipc/injection`: the one Injection of this process, made
 * the first time a runner is found here, holding which runners got the adapter and what
 * 3pio changed in their runs.
 */
import { installInjection, type InjectedRunner, type Injection } from '@3pio/ipc/injection';
import { leaveSession } from './session-env.js';

export interface PreloadInjection extends Injection {
  /** The session's preload file: the session's other files are beside it. */
  readonly preloadPath: string;
  /** The adapter is registered for `runner` in this process. */
  add(runner: InjectedRunner): void;
  /** Something 3pio changed in `runner`'s run, reported with the run (runStart's notes). */
  note(runner: InjectedRunner, text: string): void;
}

let current: PreloadInjection | undefined;

/** This process's injection, made on first use. `preloadPath`: the preload's own file, to take out of NODE_OPTIONS. */
export function injectionFor(ipcPath: string, preloadPath: string): PreloadInjection {
  if (current !== undefined) return current;
  const runners = new Set<InjectedRunner>();
  const notes = new Map<InjectedRunner, string[]>();
  let left = false;
  const injection: PreloadInjection = {
    ipcPath,
    preloadPath,
    runners,
    notes: (runner) => notes.get(runner) ?? [],
    runStarting() {
      if (left) return;
      left = true;
      leaveSession(process.env, preloadPath);
    },
    add: (runner) => runners.add(runner),
    note(runner, text) {
      const list = notes.get(runner) ?? [];
      if (!list.includes(text)) list.push(text);
      notes.set(runner, list);
    },
  };
  installInjection(injection);
  current = injection;
  return injection;
}
