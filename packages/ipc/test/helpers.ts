import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { IpcWriter, type IpcEvent, type IpcReadError } from '../src/index.js';
import type { IpcManager } from '../src/reader/ipc-manager.js';
import { createTestManager, type TestManager } from '../src/testing/index.js';

const writerScript = fileURLToPath(new URL('./fixtures/writer.cjs', import.meta.url));

/**
 * Consumes a manager's events in the background and lets a test await conditions on
 * them. Predicates run after every event, so keep them O(1).
 */
export class EventCollector<T = IpcEvent> {
  readonly events: T[] = [];
  readonly finished: Promise<void>;
  private waiters: { predicate: () => boolean; resolve: () => void }[] = [];

  /** `keep` turns each event into what is stored (big bodies need not stay in memory). */
  constructor(manager: IpcManager, keep: (event: IpcEvent) => T = (event) => event as T) {
    this.finished = (async () => {
      for await (const event of manager.watchEvents()) {
        this.events.push(keep(event));
        this.waiters = this.waiters.filter((waiter) => {
          if (!waiter.predicate()) return true;
          waiter.resolve();
          return false;
        });
      }
    })();
  }

  /** Resolves as soon as `predicate` holds. */
  until(predicate: () => boolean): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ predicate, resolve }));
  }

  count(n: number): Promise<void> {
    return this.until(() => this.events.length >= n);
  }
}

/** Awaits a condition that no event announces (a stat, a file size), checking it every few ms. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export interface WriterProcess {
  child: ChildProcess;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
}

/** Forks writer processes, waits until every one is loaded, then starts them together. */
export async function startWriters(
  ipcPath: string,
  writers: { id: string; count: number | 'victim' }[],
  env: NodeJS.ProcessEnv = {},
): Promise<WriterProcess[]> {
  const processes = writers.map(({ id, count }) => {
    const child = fork(writerScript, [id, String(count)], {
      env: { ...process.env, ...env, THREEPIO_IPC_PATH: ipcPath },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    return { child, exited };
  });
  await Promise.all(processes.map(({ child }) => once(child, 'message')));
  for (const { child } of processes) child.send('go');
  return processes;
}

const { bodyFor } = createRequire(import.meta.url)('./fixtures/payloads.cjs') as {
  bodyFor: (seq: number, victim?: boolean) => string;
};

export interface CheckedChunk {
  writerId: string;
  seq: number;
  /** The body is exactly what the writer sent for that seq. */
  intact: boolean;
}

/** Checks a writer fixture's event on arrival, so that its body need not be kept. */
export function checkChunk(event: IpcEvent): CheckedChunk {
  if (event.eventType !== 'stdoutChunk') throw new Error(`expected a stdoutChunk, got ${event.eventType}`);
  const { chunk } = event.payload;
  const idEnd = chunk.indexOf(':');
  const seqEnd = chunk.indexOf(':', idEnd + 1);
  const writerId = chunk.slice(0, idEnd);
  const seq = Number(chunk.slice(idEnd + 1, seqEnd));
  const intact = chunk.slice(seqEnd + 1) === bodyFor(seq, writerId === 'victim');
  return { writerId, seq, intact };
}

/**
 * Gives each test a fresh manager (with its read errors collected and a writer on its
 * file) and cleans it up after the test. Call once at the top of a test file.
 */
export function useTestManager() {
  let current: (TestManager & { writer: IpcWriter }) | undefined;
  afterEach(async () => {
    current?.writer.close();
    await current?.cleanup();
    current = undefined;
  });
  return async (options: Parameters<typeof createTestManager>[0] = {}) => {
    const created = await createTestManager(options);
    current = { ...created, writer: new IpcWriter(created.ipcPath) };
    const errors: IpcReadError[] = [];
    current.manager.onError((error) => errors.push(error));
    return { ...current, errors };
  };
}

/**
 * A fresh temporary directory for each test, removed after it, and the named
 * environment variables unset for the test and put back as they were afterwards.
 */
export function useScratch(prefix: string, envNames: readonly string[]): { readonly dir: string } {
  const saved = new Map(envNames.map((name) => [name, process.env[name]]));
  const scratch = { dir: '' };
  beforeEach(() => {
    scratch.dir = mkdtempSync(join(tmpdir(), prefix));
    for (const name of envNames) delete process.env[name];
  });
  afterEach(() => {
    rmSync(scratch.dir, { recursive: true, force: true });
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  return scratch;
}

/** mulberry32: the same sequence on every run, so a failure can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
