/**
 * Test utilities (seed §10): a manager on a fresh temporary directory, with a logger
 * that records what it was told.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IpcEvent } from '../events/schemas.js';
import type { Logger } from '../logger.js';
import { IpcManager, type IpcManagerOptions } from '../reader/ipc-manager.js';
import type { IpcReadError } from '../reader/read-error.js';

export type LogLevel = 'debug' | 'warn' | 'error';

export class RecordingLogger implements Logger {
  readonly entries: { level: LogLevel; message: string }[] = [];

  debug(message: string): void {
    this.entries.push({ level: 'debug', message });
  }

  warn(message: string): void {
    this.entries.push({ level: 'warn', message });
  }

  error(message: string): void {
    this.entries.push({ level: 'error', message });
  }

  messages(level: LogLevel): string[] {
    return this.entries.filter((entry) => entry.level === level).map((entry) => entry.message);
  }
}

export interface TestManager {
  manager: IpcManager;
  ipcPath: string;
  dir: string;
  logger: RecordingLogger;
  /** Cleans the manager up and removes the directory. A plain function: it can be destructured. */
  cleanup: () => Promise<void>;
}

/** A manager on `<tmp>/3pio-ipc-XXXXXX/ipc/test.jsonl`. */
export async function createTestManager(options: Omit<IpcManagerOptions, 'logger'> = {}): Promise<TestManager> {
  const dir = await mkdtemp(join(tmpdir(), '3pio-ipc-'));
  const ipcPath = join(dir, 'ipc', 'test.jsonl');
  const logger = new RecordingLogger();
  const manager = await IpcManager.create(ipcPath, { ...options, logger });
  return {
    manager,
    ipcPath,
    dir,
    logger,
    cleanup: async () => {
      await manager.cleanup();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Every event of an IPC file whose writers have finished (a runner that exited), and
 * what went wrong reading it, read by a real IpcManager.
 */
export async function readAllEvents(
  ipcPath: string,
  options: IpcManagerOptions = {},
): Promise<{ events: IpcEvent[]; errors: IpcReadError[] }> {
  const manager = await IpcManager.create(ipcPath, options);
  const errors: IpcReadError[] = [];
  manager.onError((error) => errors.push(error));
  const events: IpcEvent[] = [];
  const consuming = (async () => {
    for await (const event of manager.watchEvents()) events.push(event);
  })();
  await manager.cleanup();
  await consuming;
  return { events, errors };
}
