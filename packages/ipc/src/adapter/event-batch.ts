/**
 * Gathers serialized events so that a runner whose tests take microseconds (Mocha runs
 * a trivial test in ~65 µs; an append costs ~2 µs) does not pay one write(2) per event.
 * A line goes out at once when it is urgent; else `windowMs` after the first line held,
 * on a timer (Mocha gives the event loop a turn between tests), or with the line that
 * brings the batch to MAX_BATCH_CHARS, and in any case when the process exits. What it
 * holds is lost only if the process ends without exiting: killed (SIGKILL, or a signal
 * the runner does not handle, such as Ctrl-C while a test blocks the event loop) or crashed.
 */
// The timers as they were at load, before the tests run (captured-globals.ts): fake timers
// (sinon, @sinonjs/fake-timers) replace the globals and the properties of the timers
// module, and a faked clock would hold our lines back for as long as the test keeps it
// still. (Fakes installed by a module that Mocha loads with --require, before the
// reporter, are captured instead: the lines then wait for an urgent event, a full batch
// or the exit; none is lost.) No clock is read per line: that was a measurable share of
// the cost of a line.
import { startTimer, stopTimer } from '../writer/captured-globals.js';

/** Receives what was gathered: the lines, and how many events they are. */
export type BatchSink = (lines: string, events: number) => void;

/** Big batches gain nothing more and hold more back; write once this much is waiting. */
const MAX_BATCH_CHARS = 64 * 1024;

const batches = new Set<EventBatch>();
let exitHooked = false;

function flushAllAtExit(): void {
  for (const batch of batches) batch.flush();
}

export class EventBatch {
  private lines = '';
  private events = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly onTimer = (): void => {
    this.timer = undefined;
    this.flush();
  };

  constructor(
    private readonly windowMs: number,
    private readonly sink: BatchSink,
  ) {
    batches.add(this);
    // One listener for every batch of the process: no MaxListenersExceededWarning on the runner's stderr.
    if (!exitHooked) {
      exitHooked = true;
      process.on('exit', flushAllAtExit);
    }
  }

  add(line: string, urgent: boolean): void {
    this.lines += line;
    this.events += 1;
    if (urgent || this.lines.length >= MAX_BATCH_CHARS) this.flush();
    // Unref'd: a waiting line must never keep the runner's process alive.
    else this.timer ??= startTimer(this.onTimer, this.windowMs).unref();
  }

  /** Hands everything gathered to the sink now. */
  flush(): void {
    if (this.timer !== undefined) {
      stopTimer(this.timer);
      this.timer = undefined;
    }
    if (this.events === 0) return;
    const { lines, events } = this;
    this.lines = '';
    this.events = 0;
    this.sink(lines, events);
  }
}
