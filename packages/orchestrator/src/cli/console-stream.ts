/**
 * The terminal as 3pio writes to it. A reader that goes away early (`3pio npm test |
 * head`) closes the pipe: Node then emits EPIPE on the stream, which unhandled would
 * end 3pio in the middle of the run, before the reports are written. The run goes on
 * and what would have been printed is dropped; the reports hold all of it.
 */
import type { ConsoleTarget } from '../console/console-reporter.js';

export function consoleStream(stream: NodeJS.WriteStream): ConsoleTarget {
  let open = true;
  stream.on('error', () => {
    open = false;
  });
  return {
    write(text: string): void {
      if (open) stream.write(text);
    },
  };
}
