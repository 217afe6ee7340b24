/**
 * The reading half of the IPC file (seed: NewManager / WatchEvents / Cleanup).
 *
 * Reading is pulled by the consumer: `watchEvents()` hands out a bounded queue, and
 * the file is read only while the queue has room. The file itself is the durable
 * queue, so a slow consumer never costs an event (the seed dropped them). Three
 * things wake the reader: the consumer asking for more, the chokidar watcher, and a
 * poll timer that catches whatever notification the watcher missed.
 */
import { mkdir, open } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { IpcEvent } from '../events/schemas.js';
import { silentLogger, type Logger } from '../logger.js';
import { EventChannel } from './event-channel.js';
import { FileTail } from './file-tail.js';
import { chokidarWatcher, type FileWatcher, type WatcherFactory } from './file-watcher.js';
import { LineSplitter, type TooLongLine } from './line-splitter.js';
import { eventAtEndOf, parseLine, type ParsedLine } from './parse-line.js';
import type { IpcReadError } from './read-error.js';

export interface IpcManagerOptions {
  /** Silent by default. */
  logger?: Logger;
  /** How many parsed events may wait for the consumer. Default 1000. */
  bufferSize?: number;
  /** Longer lines are skipped with a warning. Default 8 MiB. */
  maxLineBytes?: number;
  /** The safety net: how often to look for new bytes whatever the watcher says. Default 200 ms. */
  pollIntervalMs?: number;
  /** Make chokidar poll instead of using native notifications. */
  usePolling?: boolean;
  /** Replaces chokidar, for tests that need a watcher to fail. */
  watcherFactory?: WatcherFactory;
}

export type WatcherState = 'idle' | 'starting' | 'native' | 'polling' | 'none' | 'stopped';

export interface IpcManagerStats {
  /** Events handed to the queue (delivered or about to be). */
  eventsDelivered: number;
  /** Events waiting in the queue for the consumer. */
  queued: number;
  linesRead: number;
  /** Read position in the current file, in bytes. */
  position: number;
  /** Bytes held for a line that has not reached its newline yet. */
  heldBytes: number;
  errors: number;
  watcher: WatcherState;
  watcherRestarts: number;
}

const DEFAULT_BUFFER_SIZE = 1000;
const DEFAULT_MAX_LINE_BYTES = 8 * 1024 * 1024;
const DEFAULT_POLL_INTERVAL_MS = 200;
const CHUNK_BYTES = 256 * 1024;
const MAX_WATCHER_RESTARTS = 10;
/** After this many failures the native watcher is given up for polling. */
const NATIVE_WATCHER_ATTEMPTS = 3;

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`IpcManager option ${name} must be a positive integer; got ${String(value)}.`);
  }
  return value;
}

function isBlank(line: string): boolean {
  return line.length === 0 || (line.charCodeAt(0) <= 0x20 && line.trim().length === 0);
}

export class IpcManager {
  readonly ipcPath: string;
  private readonly logger: Logger;
  private readonly bufferSize: number;
  private readonly maxLineBytes: number;
  private readonly pollIntervalMs: number;
  private readonly watcherFactory: WatcherFactory;
  private usePolling: boolean;

  private channel: EventChannel<IpcEvent> | undefined;
  private tail: FileTail | undefined;
  private splitter: LineSplitter | undefined;
  private watcher: FileWatcher | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private readonly errorListeners = new Set<(error: IpcReadError) => void>();
  private pumping = false;
  private pumpAgain = false;
  private closing = false;
  /** The queue has been ended: nothing may be read any more, the descriptor is (about to be) closed. */
  private finished = false;
  private cleanupDone: Promise<void> | undefined;
  private watcherStarted: Promise<void> | undefined;

  private eventsDelivered = 0;
  private linesRead = 0;
  private errors = 0;
  private watcherState: WatcherState = 'idle';
  private watcherRestarts = 0;

  private constructor(ipcPath: string, options: IpcManagerOptions) {
    this.ipcPath = ipcPath;
    this.logger = options.logger ?? silentLogger;
    this.bufferSize = positiveInteger('bufferSize', options.bufferSize, DEFAULT_BUFFER_SIZE);
    this.maxLineBytes = positiveInteger('maxLineBytes', options.maxLineBytes, DEFAULT_MAX_LINE_BYTES);
    this.pollIntervalMs = positiveInteger('pollIntervalMs', options.pollIntervalMs, DEFAULT_POLL_INTERVAL_MS);
    this.watcherFactory = options.watcherFactory ?? chokidarWatcher;
    this.usePolling = options.usePolling ?? false;
  }

  /** Creates the directory (0700) and the file (0600) when missing; never truncates an existing file. */
  static async create(ipcPath: string, options: IpcManagerOptions = {}): Promise<IpcManager> {
    const path = resolve(ipcPath);
    const manager = new IpcManager(path, options);
    try {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      await (await open(path, 'a', 0o600)).close();
    } catch (error) {
      throw new Error(`Cannot create the IPC file ${path}: ${(error as Error).message}`, { cause: error });
    }
    manager.logger.debug(`IPC manager ready on ${path}`);
    return manager;
  }

  /**
   * The events of the file in file order, from its first byte on, as they are written.
   * One consumer: calling it again returns the same iterator. Ends after `cleanup()`,
   * once everything written before it has been delivered.
   */
  watchEvents(): AsyncIterableIterator<IpcEvent> {
    if (this.channel !== undefined) return this.channel;
    if (this.closing) throw new Error(`IpcManager for ${this.ipcPath} was cleaned up; create a new one to read again.`);
    this.channel = new EventChannel<IpcEvent>(this.bufferSize, () => this.pump());
    this.tail = new FileTail(this.ipcPath, CHUNK_BYTES);
    this.splitter = new LineSplitter(this.maxLineBytes, (line) => this.reportTooLong(line));
    this.pollTimer = setInterval(() => this.pump(), this.pollIntervalMs);
    this.watcherStarted = this.startWatcher();
    this.pump();
    return this.channel;
  }

  /**
   * Resolves once the watcher started by `watchEvents()` is running, or has fallen back
   * to polling or to the poll timer alone, with which one it is. Events are delivered
   * before that too: this is for callers that measure latency or wait for a steady state.
   */
  async watcherReady(): Promise<WatcherState> {
    if (this.watcherStarted === undefined) throw new Error('watcherReady() before watchEvents(): nothing is being watched yet.');
    await this.watcherStarted;
    return this.watcherState;
  }

  /**
   * Read problems (invalid lines, truncation, watcher failures…), as they happen.
   * They are also logged as warnings. Returns a function that removes the listener.
   */
  onError(listener: (error: IpcReadError) => void): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  get stats(): IpcManagerStats {
    return {
      eventsDelivered: this.eventsDelivered,
      queued: this.channel?.size ?? 0,
      linesRead: this.linesRead,
      position: this.tail?.position ?? 0,
      heldBytes: this.splitter?.heldBytes ?? 0,
      errors: this.errors,
      watcher: this.watcherState,
      watcherRestarts: this.watcherRestarts,
    };
  }

  /**
   * Stops watching, reads the file to its end, and resolves once the consumer has
   * taken the last event (or stopped iterating); then closes everything. Idempotent.
   * A last line without its newline is delivered if it is a complete event, and
   * reported as an `incompleteLine` error otherwise.
   *
   * Because nothing is dropped, the promise waits for the consumer: await it beside the
   * `for await` loop, not inside it (there it would wait for itself while events remain).
   */
  cleanup(): Promise<void> {
    this.cleanupDone ??= this.shutDown();
    return this.cleanupDone;
  }

  private async shutDown(): Promise<void> {
    this.closing = true;
    clearInterval(this.pollTimer);
    const watcher = this.watcher;
    this.watcher = undefined;
    this.watcherState = 'stopped';
    if (this.channel !== undefined) {
      this.pump();
      await this.channel.done;
    }
    this.tail?.close();
    await watcher?.close();
    this.logger.debug(
      `IPC manager closed ${this.ipcPath}: ${this.eventsDelivered} events from ${this.linesRead} lines, ` +
        `${this.errors} errors, stopped at byte ${this.tail?.position ?? 0}`,
    );
  }

  /** Reads and parses until the queue is full or the file ends. Synchronous, so never interleaved. */
  private pump(): void {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        this.fill();
        // fill() hands events to the consumer, which can ask for more (pump()) before it returns: pumpAgain may be set by then.
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
      } while (this.pumpAgain);
    } finally {
      this.pumping = false;
    }
  }

  private fill(): void {
    const { channel, tail, splitter } = this;
    if (channel === undefined || tail === undefined || splitter === undefined || this.finished) return;
    const before = this.eventsDelivered;
    while (!channel.full) {
      const line = splitter.next();
      if (line !== undefined) {
        this.handleLine(line, splitter.lineOffset);
        continue;
      }
      let chunk: Buffer | undefined;
      try {
        chunk = tail.read();
      } catch (error) {
        this.report({ kind: 'read', message: `reading failed: ${(error as Error).message}`, offset: tail.position, cause: error });
        if (this.closing) this.finish(channel);
        break;
      }
      if (chunk !== undefined) {
        splitter.push(chunk);
        continue;
      }
      if (this.followFileChange(tail, splitter)) continue;
      if (this.closing) {
        this.handlePartialLine(splitter.reset(tail.position), 'the file ended');
        this.finish(channel);
      }
      break;
    }
    if (this.eventsDelivered !== before) {
      this.logger.debug(`read ${this.eventsDelivered - before} events, position ${tail.position}, ${channel.size} queued`);
    }
  }

  private finish(channel: EventChannel<IpcEvent>): void {
    this.finished = true;
    channel.end();
  }

  private handleLine(line: string, offset: number): void {
    this.linesRead += 1;
    if (!isBlank(line)) this.accept(parseLine(line), offset);
  }

  private accept({ event, problems }: ParsedLine, offset: number): void {
    if (problems !== undefined) {
      for (const problem of problems) this.report({ ...problem, offset });
    }
    if (event !== undefined) {
      this.eventsDelivered += 1;
      this.channel?.push(event);
    }
  }

  /** At the end of the file: follow a truncation or a replacement. True when there is more to read. */
  private followFileChange(tail: FileTail, splitter: LineSplitter): boolean {
    const change = tail.check();
    if (change === undefined) return false;
    switch (change.kind) {
      case 'removed':
        this.report({ kind: 'removed', message: `${this.ipcPath} was removed; waiting for it to come back`, offset: tail.position });
        return false;
      case 'truncated':
        this.report({
          kind: 'truncated',
          message: `${this.ipcPath} shrank to ${change.size} bytes after ${tail.position} were read; reading again from its start`,
          offset: tail.position,
        });
        this.handlePartialLine(splitter.reset(0), 'the file was truncated');
        tail.rewind();
        return true;
      case 'replaced':
        this.report({
          kind: 'replaced',
          message: `another file now stands at ${this.ipcPath}; the old one was read to its end (${tail.position} bytes), reading the new one`,
          offset: tail.position,
        });
        this.handlePartialLine(splitter.reset(0), 'the file was replaced');
        tail.reopen();
        return true;
    }
  }

  private handlePartialLine(rest: ReturnType<LineSplitter['reset']>, why: string): void {
    if (rest === undefined) return;
    if (!('text' in rest)) {
      this.reportTooLong(rest);
      return;
    }
    const parsed = parseLine(rest.text);
    if (parsed.event !== undefined) {
      this.logger.debug(`delivering the last line at byte ${rest.offset}, complete but for its newline`);
      this.linesRead += 1;
      this.accept(parsed, rest.offset);
      return;
    }
    this.report({
      kind: 'incompleteLine',
      message: `${why} in the middle of a line (${Buffer.byteLength(rest.text)} bytes without a newline): ${JSON.stringify(rest.text.slice(0, 120))}`,
      offset: rest.offset,
    });
  }

  private reportTooLong({ offset, length, tail }: TooLongLine): void {
    const skipped = `skipped a line of ${length} bytes, over the ${this.maxLineBytes}-byte limit`;
    const glued = eventAtEndOf(tail);
    if (glued?.event === undefined) {
      this.report({ kind: 'lineTooLong', message: skipped, offset });
      return;
    }
    this.report({
      kind: 'lineTooLong',
      message: `${skipped}, but for the whole ${glued.event.eventType} event at its end, which was delivered`,
      offset,
    });
    this.linesRead += 1;
    this.accept(glued, offset);
  }

  private report(error: IpcReadError): void {
    this.errors += 1;
    const where = error.offset === undefined ? '' : ` at byte ${error.offset}`;
    this.logger.warn(`IPC ${error.kind}${where} of ${this.ipcPath}: ${error.message}`);
    for (const listener of this.errorListeners) {
      try {
        listener(error);
      } catch (listenerError) {
        this.logger.error(`IPC error listener threw: ${(listenerError as Error).message}`);
      }
    }
  }

  private async startWatcher(): Promise<void> {
    this.watcherState = 'starting';
    for (;;) {
      const polling = this.usePolling;
      try {
        const watcher = await this.watcherFactory(this.ipcPath, polling, {
          onChange: () => this.pump(),
          onError: (error) => this.watcherFailed(error),
        });
        if (this.closing) {
          await watcher.close();
          return;
        }
        this.watcher = watcher;
        this.watcherState = polling ? 'polling' : 'native';
        this.logger.debug(`watching ${this.ipcPath} (${this.watcherState})`);
        // Bytes written while the watcher was starting raised no notification.
        this.pump();
        return;
      } catch (error) {
        if (this.closing) return;
        this.report({
          kind: 'watcher',
          message: `could not start the ${polling ? 'polling' : 'native'} watcher: ${(error as Error).message}`,
          cause: error,
        });
        if (polling) {
          this.watcherState = 'none';
          this.logger.warn(`no file watcher for ${this.ipcPath}: new events are found by the ${this.pollIntervalMs} ms poll only`);
          return;
        }
        this.usePolling = true;
      }
    }
  }

  private watcherFailed(error: unknown): void {
    if (this.closing) return;
    this.report({ kind: 'watcher', message: `the file watcher failed: ${(error as Error).message}; restarting it`, cause: error });
    const failed = this.watcher;
    this.watcher = undefined;
    void failed?.close().catch(() => undefined);
    this.watcherRestarts += 1;
    if (this.watcherRestarts >= NATIVE_WATCHER_ATTEMPTS) this.usePolling = true;
    if (this.watcherRestarts > MAX_WATCHER_RESTARTS) {
      this.watcherState = 'none';
      this.logger.warn(
        `gave up restarting the watcher of ${this.ipcPath}: new events are found by the ${this.pollIntervalMs} ms poll only`,
      );
      return;
    }
    this.watcherStarted = this.startWatcher();
    this.pump();
  }
}
