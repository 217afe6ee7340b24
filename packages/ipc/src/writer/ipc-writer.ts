/**
 * The writing half of the IPC file (seed: SendEvent). Each event is one line written
 * with one write(2) on a descriptor opened once with O_APPEND: the kernel puts the
 * whole line at the end of the file, between other writers' lines, never inside one.
 */
import { dirname, resolve } from 'node:path';
import type { KnownEvent } from '../events/schemas.js';
import { withAppendLock } from './append-lock.js';
import { closeSync, fdatasyncSync, mkdirSync, openSync, writeSync } from './captured-globals.js';
import { sharedFileSystemAt } from './filesystem.js';
import { serializeEvent } from './serialize.js';

/** `auto` locks only on network and FUSE file systems. */
export type LockMode = 'auto' | 'always' | 'never';

export const IPC_LOCK_ENV = 'THREEPIO_IPC_LOCK';

export interface IpcWriterOptions {
  /** Default: the THREEPIO_IPC_LOCK environment variable, else `auto`. */
  lock?: LockMode;
  /** How long to wait for another writer's lock before giving up. Default 30 s. */
  lockTimeoutMs?: number;
}

function lockModeFrom(option: LockMode | undefined): LockMode {
  const mode = option ?? process.env[IPC_LOCK_ENV] ?? 'auto';
  if (mode === 'auto' || mode === 'always' || mode === 'never') return mode;
  throw new Error(`${IPC_LOCK_ENV} must be auto, always or never; got ${JSON.stringify(mode)}.`);
}

export class IpcWriter {
  readonly path: string;
  private readonly lockMode: LockMode;
  private readonly lockTimeoutMs: number;
  private fd: number | undefined;
  private locked = false;

  constructor(path: string, options: IpcWriterOptions = {}) {
    this.path = resolve(path);
    this.lockMode = lockModeFrom(options.lock);
    this.lockTimeoutMs = options.lockTimeoutMs ?? 30_000;
  }

  /** True when appends go through the lock (known once the first event was written). */
  get usesLock(): boolean {
    return this.locked;
  }

  write(event: KnownEvent): void {
    this.appendLines(serializeEvent(event));
  }

  /** One or more lines made by serializeEvent, appended together with one write(2). */
  appendLines(lines: string): void {
    const fd = this.fd ?? this.open();
    if (this.locked) {
      withAppendLock(this.path, this.lockTimeoutMs, () => {
        this.append(fd, lines);
        // Other clients see our bytes only once they reach the server.
        fdatasyncSync(fd);
      });
    } else {
      this.append(fd, lines);
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  private open(): number {
    const dir = dirname(this.path);
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      this.locked = this.lockMode === 'always' || (this.lockMode === 'auto' && sharedFileSystemAt(dir) !== undefined);
      this.fd = openSync(this.path, 'a', 0o600);
    } catch (error) {
      throw new Error(
        `Cannot open the IPC file ${this.path} for appending (${(error as Error).message}). ` +
          'It must be a file path in a directory this process can create or write to.',
        { cause: error },
      );
    }
    return this.fd;
  }

  private append(fd: number, line: string): void {
    const written = writeSync(fd, line);
    const expected = Buffer.byteLength(line);
    if (written !== expected) {
      // Only a full disk or a quota does this to a regular file; the reader will report the torn line.
      throw new Error(`Short write to ${this.path}: ${written} of ${expected} bytes. Is the disk full?`);
    }
  }
}
