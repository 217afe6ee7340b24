/**
 * `3pio.log` in the run directory: what the IPC reader had to say (an invalid line, a
 * half-written line, a file watcher that failed) and 3pio's own failures. Such problems
 * never stop a run, and the console only counts them; the details are here. Bounded:
 * 20 MB of garbage events must not become a log larger than the garbage, and control
 * bytes from an event are escaped so the log stays readable in a terminal.
 */
import { appendFileSync } from 'node:fs';
import type { Logger } from '@3pio/ipc';
import { escapeControl } from '../text.js';

export const RUN_LOG = '3pio.log';
/** Past this size, messages are only counted; the count is the log's last line. */
export const RUN_LOG_MAX_BYTES = 4 * 1024 * 1024;
/** One message's longest text: a stack trace fits, a 10 MB line does not. */
const MAX_MESSAGE_CHARS = 8 * 1024;

// Control characters but the newline (stack traces keep their lines) and the tab.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

function logText(message: string): string {
  const cut = message.length > MAX_MESSAGE_CHARS;
  const text = (cut ? message.slice(0, MAX_MESSAGE_CHARS) : message).replace(CONTROL, escapeControl);
  // Continuation lines indented: nothing in a message can pass for an entry of its own.
  return `${text.replaceAll('\n', '\n  ')}${cut ? ` … (${message.length - MAX_MESSAGE_CHARS} more characters)` : ''}`;
}

export interface RunLog extends Logger {
  /** Writes how many messages the cap left out, if any. */
  close(): void;
}

export function runLog(path: string, withDebug = process.env.THREEPIO_DEBUG === '1', maxBytes = RUN_LOG_MAX_BYTES): RunLog {
  let written = 0;
  let left = 0;
  const write = (line: string) => {
    try {
      appendFileSync(path, line, { mode: 0o600 });
    } catch {
      // The log is a convenience: failing to write it must not fail the run.
    }
  };
  const append = (level: string, message: string) => {
    if (written >= maxBytes) {
      left += 1;
      return;
    }
    const line = `${new Date().toISOString()} ${level} ${logText(message)}\n`;
    written += Buffer.byteLength(line);
    write(line);
  };
  return {
    debug: (message) => {
      if (withDebug) append('debug', message);
    },
    warn: (message) => append('warn', message),
    error: (message) => append('error', message),
    close: () => {
      if (left === 0) return;
      write(
        `${new Date().toISOString()} warn ${left} more message${left === 1 ? ' was' : 's were'} not logged: ${RUN_LOG} stops at ${maxBytes} bytes.\n`,
      );
      left = 0;
    },
  };
}
