/**
 * The testId of a Jest test (PROTOCOL.md): Jest has no id of its own, so tests of one
 * file that share a suite chain and title are told apart by their order. Jest reports a
 * test twice, once as it finishes (only the tests that ran) and once in its file's result
 * (all of them, in the file's order); counting the tests that ran (`r<n>`) apart from the
 * skipped ones (`s<n>`) gives the same test the same id both times.
 *
 * As tests finish, a name seen before is ambiguous: a second test of that name, or the
 * same test again because Jest retried the file after its worker crashed (it then
 * repeats every result, without a new onTestFileStart). Only the file's result can tell,
 * so the reporter holds such results back until then (`first` is false).
 */
import type { AssertionResult } from '@jest/test-result';
import { testKey } from './mapping/test-case.js';

const RAN = new Set<string>(['passed', 'failed']);

export type Occurrence = ReturnType<TestOccurrences['next']>;

export class TestOccurrences {
  private readonly seen = new Map<string, number>();

  /**
   * The id of the next test reported with this suite chain, title and kind; `identity`,
   * the id with the chain and title, tells the test apart from every other of its file;
   * `first` when no test had them before.
   */
  next(result: Pick<AssertionResult, 'ancestorTitles' | 'title' | 'status'>): { testId: string; identity: string; first: boolean } {
    const kind = RAN.has(result.status) ? 'r' : 's';
    const names = testKey(result);
    const key = `${kind}${names}`;
    const count = this.seen.get(key) ?? 0;
    this.seen.set(key, count + 1);
    const testId = `${kind}${count}`;
    return { testId, identity: `${testId}${names}`, first: count === 0 };
  }
}
