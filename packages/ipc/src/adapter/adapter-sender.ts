/**
 * What every runner adapter needs to send its events: the IPC path from the
 * environment, or one of its own when the reporter was configured by hand, and a
 * send that can never fail the user's test run.
 */
import { appendFileSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import type { AdapterErrorEvent, KnownEvent } from '../events/schemas.js';
import { IPC_PATH_ENV, createRunId, ensureOwnDirectory, ensureThreepioDirectory, ipcDirectory, ipcFilePath } from '../paths.js';
import { IpcWriter } from '../writer/ipc-writer.js';
import { serializeEvent } from '../writer/serialize.js';
import { EventBatch } from './event-batch.js';
import { outputPieces } from './output-pieces.js';

export const DEBUG_LOG_ENV = 'THREEPIO_DEBUG_LOG';

export interface AdapterSender {
  readonly ipcPath: string;
  /** No IPC file was given (THREEPIO_IPC_PATH or the `ipcPath` option): the reporter was configured by hand and picked `ipcPath` itself. */
  readonly handConfigured: boolean;
  /** The run the events belong to (PROTOCOL.md, "Runs"), from beginRun() or joinRun(). */
  readonly run: string | undefined;
  /** A new run starts in this process: its events get a new run ID, which is returned. */
  beginRun(): string;
  /** Sends the events that follow as part of `run`, begun in another process (a Mocha --parallel worker's main). */
  joinRun(run: string): void;
  /** Appends the event, as part of the current run; never throws. */
  send(event: KnownEvent): void;
  /**
   * Appends a line made by TestCaseLines (a test that neither failed nor needs to go out
   * at once); never throws. The runner's hot path: no event object, no JSON.stringify.
   */
  sendTestCaseLine(line: string): void;
  /** How many events could not be written. */
  readonly failures: number;
  /**
   * The adapter failed in `hook` (see hook-guard.ts): noted in the debug log and sent as
   * an adapterError event, with what the hook was handling; never throws.
   */
  reportFailure(runner: string, hook: string, error: unknown, subject?: FailureSubject): void;
}

/** What a failed hook was handling: the file and test whose events may be missing. */
export type FailureSubject = Pick<AdapterErrorEvent['payload'], 'filePath' | 'project' | 'testName' | 'ancestorTitles'>;

/**
 * Appends a line to the file named by THREEPIO_DEBUG_LOG, if set. The only place an
 * adapter may say what went wrong: the runner's output belongs to the user.
 */
export function debugLog(message: string): void {
  const path = process.env[DEBUG_LOG_ENV];
  if (!path) return;
  try {
    appendFileSync(path, `${new Date().toISOString()} [pid ${process.pid}] ${message}\n`, { mode: 0o600 });
  } catch {
    // Debug logging is best effort: nothing may reach the runner's output.
  }
}

export interface AdapterSenderOptions {
  /**
   * Gather events for up to this many milliseconds and write them together: for a runner
   * whose tests are so fast that one write(2) per event is a measurable share of the run
   * (Mocha). A file's start and end, failures and the run's end still go out at once,
   * and nothing waits past the process's exit. Default 0: every event is written as it is sent.
   */
  batchWindowMs?: number;
  /**
   * The IPC file, when 3pio gave it to the adapter directly (see injection.ts); else
   * THREEPIO_IPC_PATH, else (configured by hand) a new file of its own. The sender never
   * sets THREEPIO_IPC_PATH: the user's tests, run by the same process or its children,
   * would see it.
   */
  ipcPath?: string;
}

/**
 * What must not wait: a failure, the end of a file or of the run, which the orchestrator
 * shows as they come; and a file's start, so that a file whose first test hangs the
 * process is known to have started even if the process is then killed.
 */
function isUrgent(event: KnownEvent): boolean {
  switch (event.eventType) {
    case 'testCase':
      return event.payload.status === 'FAIL';
    case 'testFileStart':
    case 'testFileResult':
    case 'runComplete':
      return true;
    default:
      return false;
  }
}

/**
 * The writer; an unusable THREEPIO_IPC_LOCK (the one setting it reads) must not stop the
 * user's run: the default then applies, and the debug log says so.
 */
function createWriter(ipcPath: string): IpcWriter {
  try {
    return new IpcWriter(ipcPath);
  } catch (error) {
    debugLog(`${(error as Error).message} Using auto.`);
    return new IpcWriter(ipcPath, { lock: 'auto' });
  }
}

/**
 * A run ID, unique within a session: the process, and enough randomness for runs of one
 * process and for process IDs the system reused. Short: every line carries it.
 */
export function newRunId(): string {
  return `${process.pid.toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

export function createAdapterSender(cwd: string = process.cwd(), options: AdapterSenderOptions = {}): AdapterSender {
  const given = options.ipcPath || process.env[IPC_PATH_ENV];
  const handConfigured = !given;
  const ipcPath = given || ipcFilePath(createRunId(), cwd);
  // Set when 3pio's directory is refused (a symbolic link, a file): nothing is written, every event counts as failed.
  let refused: string | undefined;
  if (handConfigured) {
    try {
      ensureThreepioDirectory(cwd);
      ensureOwnDirectory(ipcDirectory(cwd));
    } catch (error) {
      refused = (error as Error).message;
      debugLog(`3pio will not write events: ${refused}`);
    }
  }
  const writer = createWriter(ipcPath);
  let failures = 0;
  let run: string | undefined;
  const append = (lines: string, events: number, what: string): void => {
    if (refused !== undefined) {
      failures += events;
      return;
    }
    try {
      writer.appendLines(lines);
    } catch (error) {
      failures += events;
      debugLog(`3pio could not write ${what} to ${ipcPath}: ${(error as Error).message}`);
    }
  };
  const windowMs = options.batchWindowMs ?? 0;
  const batch =
    windowMs > 0 ? new EventBatch(windowMs, (lines, events) => append(lines, events, `${events} events (or some of them)`)) : undefined;
  const sendOne = (event: KnownEvent): void => {
    let line: string;
    try {
      line = serializeEvent(event, run);
    } catch (error) {
      failures += 1;
      debugLog(`3pio could not serialize a ${event.eventType} event: ${(error as Error).message}`);
      return;
    }
    if (batch === undefined) append(line, 1, `a ${event.eventType} event`);
    else batch.add(line, isUrgent(event));
  };
  return {
    ipcPath,
    handConfigured,
    get failures() {
      return failures;
    },
    get run() {
      return run;
    },
    beginRun() {
      run = newRunId();
      return run;
    },
    joinRun(id) {
      run = id;
    },
    send(event) {
      const pieces = outputPieces(event);
      if (pieces === undefined) sendOne(event);
      else for (const piece of pieces) sendOne(piece);
    },
    sendTestCaseLine(line) {
      if (batch === undefined) append(line, 1, 'a testCase event');
      else batch.add(line, false);
    },
    reportFailure(runner, hook, error, subject) {
      try {
        const { message, stack } = describeError(error);
        debugLog(`3pio's ${runner} adapter failed in ${hook}: ${stack ?? message}`);
        const payload: AdapterErrorEvent['payload'] = { runner, hook, message, ...subject };
        if (stack !== undefined) payload.stack = stack;
        sendOne({ eventType: 'adapterError', payload });
      } catch {
        // Reporting a failure must not become one.
      }
    },
  };
}

/** An error's message and stack, whatever was thrown (a string, an object whose toString throws…). */
export function describeError(error: unknown): { message: string; stack?: string } {
  try {
    if (!(error instanceof Error)) return { message: String(error) };
    // A test may have set `message` to anything: the event needs a string.
    const { message, stack } = error as { message: unknown; stack: unknown };
    return { message: String(message), ...(typeof stack === 'string' ? { stack } : {}) };
  } catch {
    return { message: 'a value that cannot be shown was thrown' };
  }
}

/**
 * What an adapter configured by hand tells the user once, at the end of the run: where
 * the events went and how to turn them into reports. One wording for every runner.
 */
export function handConfiguredNotice(ipcPath: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, ipcPath);
  const shown = rel === '' || rel.startsWith('..') || isAbsolute(rel) ? ipcPath : rel;
  return `3pio: test events written to ${shown} (reports: npx 3pio replay ${shown})`;
}
