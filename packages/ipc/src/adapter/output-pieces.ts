/**
 * Output goes out as it comes, an event per write, and one write can be megabytes (a test
 * that logs a whole fixture); the reader skips a line over 8 MiB. A longer chunk is sent
 * as several events, in order, whose chunks join into the original: nothing is lost, and
 * no character is cut in two.
 */
import type { KnownEvent } from '../events/schemas.js';
import { cutPoint } from './text-cut.js';

/** At most 6 bytes a character once escaped as JSON: a piece stays well under the reader's limit. */
export const MAX_OUTPUT_CHUNK_CHARS = 512 * 1024;

/** The pieces of output longer than MAX_OUTPUT_CHUNK_CHARS; undefined for any other event (sent as it is). */
export function outputPieces(event: KnownEvent): KnownEvent[] | undefined {
  if (event.eventType !== 'stdoutChunk' && event.eventType !== 'stderrChunk') return undefined;
  const { chunk } = event.payload;
  if (chunk.length <= MAX_OUTPUT_CHUNK_CHARS) return undefined;
  const pieces: KnownEvent[] = [];
  for (let start = 0; start < chunk.length;) {
    const end = cutPoint(chunk, Math.min(start + MAX_OUTPUT_CHUNK_CHARS, chunk.length));
    pieces.push({ ...event, payload: { ...event.payload, chunk: chunk.slice(start, end) } });
    start = end;
  }
  return pieces;
}
