/**
 * Jest buffers a file's console calls in the worker and hands them over only with the
 * file's result (`testResult.console`), without saying which test made them.
 */
import type { StderrChunkEvent, StdoutChunkEvent } from '@3pio/ipc';
import type { ConsoleBuffer } from '@jest/console';
import type { JestFile } from './test-file.js';

// Where Node's own console would have written each call.
const STDERR_TYPES = new Set(['warn', 'error', 'assert']);

export function consoleEvents(file: JestFile, buffer: ConsoleBuffer | undefined): (StdoutChunkEvent | StderrChunkEvent)[] {
  return (buffer ?? []).map(({ type, message }) => ({
    eventType: STDERR_TYPES.has(type) ? 'stderrChunk' : 'stdoutChunk',
    payload: { ...file.fields, chunk: `${message}\n` },
  }));
}
