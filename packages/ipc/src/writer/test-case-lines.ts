/**
 * testCase lines for the tests of one suite, for a runner whose tests take microseconds
 * (Mocha runs a trivial test in ~65 µs). What the suite's tests share, the file and the
 * suite chain, is serialized once; a test adds its title, status and duration. The line
 * is the one serializeEvent writes for the same event (a test holds the two together),
 * at about a quarter of the cost: JSON.stringify of a whole payload per test was the
 * largest single share of the Mocha adapter's overhead.
 */
import type { TestStatus } from '../events/schemas.js';
import { now, stringify } from './captured-globals.js';
import { runField } from './serialize.js';

/** What JSON.stringify would escape in a string: `"`, `\`, control characters, surrogates (lone ones are escaped). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
const NEEDS_ESCAPING = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON.stringify(text), without its cost for the common title that needs no escaping. */
export function jsonString(text: string): string {
  return NEEDS_ESCAPING.test(text) ? stringify(text) : `"${text}"`;
}

/** A testCase without failure details (PASS or SKIP; a failure goes through serializeEvent). */
export class TestCaseLines {
  /** The envelope up to the timestamp's value: the event type and the run. */
  private readonly start: string;
  /** From the envelope's `payload` key to the test's title. */
  private readonly head: string;
  /** After the title: the suite's part of the payload. */
  private readonly suite: string;
  /** The suite's part and the statuses of the last line: the next test most likely has the same. */
  private status: TestStatus | undefined;
  private runnerStatus: string | undefined;
  private tail = '';

  /**
   * `ancestorTitles`: outermost first; the last is the `suiteName` (none for a test outside any suite).
   * `run`: the run the tests belong to, as the sender that writes the lines has it.
   */
  constructor(filePath: string, ancestorTitles: readonly string[], run?: string) {
    this.start = `{"eventType":"testCase"${runField(run)},"timestamp":`;
    this.head = `,"payload":{"filePath":${jsonString(filePath)},"testName":`;
    const suiteName = ancestorTitles.at(-1);
    const ancestors = `"ancestorTitles":[${ancestorTitles.map(jsonString).join(',')}]`;
    this.suite = suiteName === undefined ? `,${ancestors}` : `,"suiteName":${jsonString(suiteName)},${ancestors}`;
  }

  /**
   * The whole line, newline included. `duration` is left out unless it is a finite number
   * (JSON has no NaN); `testId` (PROTOCOL.md) follows the title when given.
   */
  line(testName: string, status: TestStatus, runnerStatus: string, duration?: number, timestamp: number = now(), testId?: string): string {
    if (status !== this.status || runnerStatus !== this.runnerStatus) {
      this.status = status;
      this.runnerStatus = runnerStatus;
      this.tail = `${this.suite},"status":"${status}","runnerStatus":${jsonString(runnerStatus)}`;
    }
    const end = typeof duration === 'number' && Number.isFinite(duration) ? `,"duration":${duration}}}\n` : '}}\n';
    const id = testId === undefined ? '' : `,"testId":${jsonString(testId)}`;
    return `${this.start}${timestamp}${this.head}${jsonString(testName)}${id}${this.tail}${end}`;
  }
}
