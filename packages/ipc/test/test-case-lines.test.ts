/**
 * TestCaseLines against serializeEvent, the reference: for any file, suite chain, title,
 * status and duration, the same line, byte for byte.
 */
import { describe, expect, it } from 'vitest';
import { parseLine, serializeEvent, type TestCaseEvent, type TestStatus } from '../src/index.js';
import { jsonString, TestCaseLines } from '../src/writer/test-case-lines.js';
import { seededRandom } from './helpers.js';

/** Every code unit that JSON treats specially, lone and paired surrogates, and ordinary text around them. */
const PIECES = [
  ...Array.from({ length: 0x80 }, (_, code) => String.fromCharCode(code)),
  '\ud83d\ude00', // 😀, a valid pair
  '\ud83d', // a lone high surrogate
  '\ude00', // a lone low surrogate
  '\udfff\ud800', // a low before a high: both lone
  '\u2028\u2029',
  'é',
  '✓',
  '\u00a0',
  '\ufeff',
  'test ',
  'describe › nested',
];

function randomText(random: () => number): string {
  const length = Math.floor(random() * 6);
  let text = '';
  for (let i = 0; i < length; i += 1) text += PIECES[Math.floor(random() * PIECES.length)] ?? '';
  return text;
}

const DURATIONS = [undefined, 0, 1, 17, 2.5, 1e-7, 2 ** 53 + 2, Number.NaN, Number.POSITIVE_INFINITY];
const STATUSES: TestStatus[] = ['PASS', 'SKIP', 'FAIL'];

describe('jsonString', () => {
  it('is JSON.stringify for every string', () => {
    const random = seededRandom(7);
    for (const piece of PIECES) expect(jsonString(piece)).toBe(JSON.stringify(piece));
    for (let n = 0; n < 5000; n += 1) {
      const text = randomText(random);
      expect(jsonString(text)).toBe(JSON.stringify(text));
    }
  });
});

describe('TestCaseLines', () => {
  it('writes the line serializeEvent writes for the same event', () => {
    const random = seededRandom(42);
    for (let n = 0; n < 3000; n += 1) {
      const filePath = `/p/${randomText(random)}.test.js`;
      const ancestorTitles = Array.from({ length: Math.floor(random() * 4) }, () => randomText(random));
      // Lines of no run, and of runs whose IDs need escaping.
      const run = n % 3 === 0 ? undefined : `${randomText(random)}r`;
      const lines = new TestCaseLines(filePath, ancestorTitles, run);
      for (let t = 0; t < 3; t += 1) {
        const testName = randomText(random);
        const status = STATUSES[Math.floor(random() * STATUSES.length)] ?? 'PASS';
        const runnerStatus = randomText(random);
        const duration = DURATIONS[Math.floor(random() * DURATIONS.length)];
        const timestamp = 1_700_000_000_000 + n;

        // Lines with a testId and without.
        const testId = t === 1 ? undefined : randomText(random);
        // In the key order TestCaseLines writes; the reader does not care, the comparison does.
        const payload: Record<string, unknown> = { filePath, testName };
        if (testId !== undefined) payload.testId = testId;
        if (ancestorTitles.length > 0) payload.suiteName = ancestorTitles.at(-1);
        Object.assign(payload, { ancestorTitles, status, runnerStatus });
        if (duration !== undefined && Number.isFinite(duration)) payload.duration = duration;
        const expected = serializeEvent({ eventType: 'testCase', timestamp, payload } as TestCaseEvent, run);

        expect(lines.line(testName, status, runnerStatus, duration, timestamp, testId)).toBe(expected);
      }
    }
  });

  it('writes lines the reader takes as they are', () => {
    const line = new TestCaseLines('/p/a "quoted" \\ file.test.js', ['outer\n', 'inner \ud83d']).line('it \u0001', 'SKIP', 'pending');
    const { event, problems } = parseLine(line.trimEnd());
    expect(problems).toBeUndefined();
    expect(event).toMatchObject({
      eventType: 'testCase',
      payload: {
        filePath: '/p/a "quoted" \\ file.test.js',
        testName: 'it \u0001',
        suiteName: 'inner \ud83d',
        ancestorTitles: ['outer\n', 'inner \ud83d'],
        status: 'SKIP',
        runnerStatus: 'pending',
      },
    });
    expect(line.endsWith('}\n')).toBe(true);
  });
});
