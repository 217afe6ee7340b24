/**
 * The runner's raw output as it goes to `output.log`: ANSI escapes removed. Text is
 * passed on a line at a time, so an escape sequence split between two chunks is still
 * recognised; a line that never ends is passed on once it reaches a bound.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';

const MAX_HELD_CHARS = 64 * 1024;

export function ansiStripper(): Transform {
  let held = '';
  return new Transform({
    decodeStrings: false,
    transform(chunk: Buffer | string, _encoding: BufferEncoding, done: TransformCallback) {
      held += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      const end = held.length > MAX_HELD_CHARS ? held.length : held.lastIndexOf('\n') + 1;
      if (end > 0) {
        this.push(stripVTControlCharacters(held.slice(0, end)));
        held = held.slice(end);
      }
      done();
    },
    flush(done: TransformCallback) {
      if (held.length > 0) this.push(stripVTControlCharacters(held));
      done();
    },
  });
}
