/**
 * Mocha's own classes, loaded at run time from the project's Mocha. The adapter may
 * be installed anywhere (a global 3pio), so resolve from the process's entry point
 * (`bin/mocha.js`, `lib/cli/cli.js` or, in a parallel worker, `lib/nodejs/worker.js`),
 * which always sits inside the Mocha that is running (ADAPTERS.md §3.2).
 */
import { join } from 'node:path';
import type MochaType from 'mocha';

function requireFromMocha(id: string): unknown {
  const main = require.main;
  if (main !== undefined) {
    try {
      return main.require(id);
    } catch {
      // The entry point is not Mocha's (programmatic use): fall back to the project.
    }
  }
  // Loaded only here: node:module is not loaded in a Mocha process otherwise, and brings in the ESM loader.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand (see above)
  const { createRequire } = require('node:module') as typeof import('node:module');
  return createRequire(join(process.cwd(), 'noop.js'))(id);
}

export type MochaModule = typeof MochaType;

export function loadMocha(): MochaModule {
  return requireFromMocha('mocha') as MochaModule;
}

/** The reporter Mocha's parallel workers use by default; our worker reporter extends it. */
export interface ParallelBufferedEvent {
  eventName: string;
}
export interface ParallelBufferedInstance {
  events: ParallelBufferedEvent[];
  done(failures: number, callback: (result: unknown) => void): void;
}
export type ParallelBufferedClass = new (runner: MochaType.Runner, options: MochaType.MochaOptions) => ParallelBufferedInstance;

export function loadParallelBuffered(): ParallelBufferedClass {
  // A deep import: Mocha 10 and 11 have no `exports` map.
  return requireFromMocha('mocha/lib/nodejs/reporters/parallel-buffered') as ParallelBufferedClass;
}

/** How a worker hands extra data to the main process, in the same batch as Mocha's events. */
export interface SerializableEventClass {
  create(eventName: string, data: object): ParallelBufferedEvent;
}

export function loadSerializableEvent(): SerializableEventClass {
  return (requireFromMocha('mocha/lib/nodejs/serializer') as { SerializableEvent: SerializableEventClass }).SerializableEvent;
}
