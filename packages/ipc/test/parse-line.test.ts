import { describe, expect, it } from 'vitest';
import { parseLine, serializeEvent } from '../src/index.js';
import { MAX_NESTING, MAX_RECOVERY_ATTEMPTS } from '../src/reader/parse-line.js';

const testCase = {
  eventType: 'testCase',
  timestamp: 5,
  payload: { filePath: 'a.test.js', testName: 'adds', status: 'PASS', duration: 2 },
} as const;
const line = (value: unknown) => JSON.stringify(value);

describe('parseLine', () => {
  it('turns a valid line into its event, with no problems', () => {
    expect(parseLine(line(testCase))).toEqual({ event: testCase });
  });

  it('reads what serializeEvent writes', () => {
    const written = serializeEvent(testCase);
    expect(written.endsWith('\n')).toBe(true);
    expect(written.slice(0, -1)).not.toContain('\n');
    expect(parseLine(written.slice(0, -1))).toEqual({ event: testCase });
  });

  it('serializeEvent stamps events that have no timestamp, and starts every line the same way', () => {
    const before = Date.now();
    const written = serializeEvent({ eventType: 'testFileStart', payload: { filePath: 'x' } });
    expect(written.startsWith('{"eventType":"testFileStart","timestamp":')).toBe(true);
    const { event } = parseLine(written.trimEnd());
    expect(event?.timestamp).toBeGreaterThanOrEqual(before);
  });

  it('reports invalid JSON and delivers nothing', () => {
    const result = parseLine('{"eventType": "testCase", ');
    expect(result.event).toBeUndefined();
    expect(result.problems).toEqual([{ kind: 'invalidJson', message: expect.stringContaining('{\\"eventType\\": \\"testCase\\", ') }]);
  });

  it('reports JSON that is not an event', () => {
    expect(parseLine('42').problems?.[0]?.kind).toBe('invalidEvent');
    expect(parseLine('[1,2]').problems?.[0]?.kind).toBe('invalidEvent');
    expect(parseLine('{"payload":{}}').problems?.[0]?.kind).toBe('invalidEvent');
    expect(parseLine('{"eventType":7}').problems?.[0]?.kind).toBe('invalidEvent');
  });

  it('delivers an unknown event type as an UnknownEvent with its raw payload', () => {
    expect(parseLine(line({ eventType: 'coverage', timestamp: 9, payload: { lines: [1, 2] } }))).toEqual({
      event: { eventType: 'unknown', originalEventType: 'coverage', reason: 'unknownEventType', timestamp: 9, payload: { lines: [1, 2] } },
    });
  });

  it('does not mistake a prototype property for a known type', () => {
    expect(parseLine(line({ eventType: 'toString', payload: {} })).event).toMatchObject({
      eventType: 'unknown',
      originalEventType: 'toString',
    });
  });

  it('delivers a known event without its invalid optional fields, and says which', () => {
    const result = parseLine(line({ ...testCase, payload: { ...testCase.payload, duration: 'slow', ancestorTitles: 'x' } }));
    expect(result.event).toEqual({
      eventType: 'testCase',
      timestamp: 5,
      payload: { filePath: 'a.test.js', testName: 'adds', status: 'PASS' },
    });
    expect(result.problems).toHaveLength(1);
    expect(result.problems?.[0]?.kind).toBe('invalidPayload');
    expect(result.problems?.[0]?.message).toMatch(/payload\.duration.*payload\.ancestorTitles|payload\.ancestorTitles.*payload\.duration/);
  });

  it('drops an invalid timestamp but keeps the event', () => {
    const result = parseLine(line({ ...testCase, timestamp: 'yesterday' }));
    expect(result.event).toEqual({ eventType: 'testCase', payload: testCase.payload });
    expect(result.problems?.[0]?.message).toContain('timestamp');
  });

  it('keeps the run an event belongs to, whatever else is wrong with it', () => {
    expect(parseLine(serializeEvent(testCase, 'r-1').trimEnd())).toEqual({ event: { ...testCase, run: 'r-1' } });
    expect(serializeEvent({ ...testCase, run: 'r-2' }).startsWith('{"eventType":"testCase","run":"r-2","timestamp":5,')).toBe(true);
    const partial = parseLine(line({ ...testCase, run: 'r-1', payload: { ...testCase.payload, duration: 'slow' } }));
    expect(partial.event).toEqual({
      eventType: 'testCase',
      run: 'r-1',
      timestamp: 5,
      payload: { filePath: 'a.test.js', testName: 'adds', status: 'PASS' },
    });
    expect(parseLine(line({ eventType: 'coverage', run: 'r-1', payload: {} })).event).toMatchObject({ eventType: 'unknown', run: 'r-1' });
    expect(parseLine(line({ eventType: 'testCase', run: 'r-1', payload: { status: 'MAYBE' } })).event).toMatchObject({
      eventType: 'unknown',
      run: 'r-1',
    });
    // A run that is not a non-empty string is dropped, and said to be.
    const badRun = parseLine(line({ ...testCase, run: 7 }));
    expect(badRun.event).toEqual(testCase);
    expect(badRun.problems?.[0]?.message).toContain('run');
  });

  it('delivers a known event with invalid required fields as unknown, with the issues', () => {
    const payload = { filePath: 'a.test.js', testName: 'adds', status: 'MAYBE' };
    const result = parseLine(line({ eventType: 'testCase', payload }));
    expect(result.event).toEqual({
      eventType: 'unknown',
      originalEventType: 'testCase',
      reason: 'invalidPayload',
      payload,
      issues: [expect.stringContaining('payload.status')],
    });
    expect(result.problems?.[0]?.kind).toBe('invalidPayload');
  });

  it('delivers a known event with no payload at all as unknown', () => {
    expect(parseLine('{"eventType":"testFileStart"}').event).toMatchObject({ eventType: 'unknown', reason: 'invalidPayload' });
  });

  it('recovers the event a killed writer’s half line was glued to', () => {
    const torn = serializeEvent({ eventType: 'stdoutChunk', payload: { filePath: 'a', chunk: 'x'.repeat(100) } }).slice(0, 60);
    const result = parseLine(torn + line(testCase));
    expect(result.event).toEqual(testCase);
    expect(result.problems).toEqual([{ kind: 'tornLine', message: expect.stringContaining('skipped 60 characters') }]);
  });

  it('recovers across a payload that itself contains an eventType key', () => {
    const nested = { eventType: 'coverage', payload: { inner: { eventType: 'x' } } };
    const result = parseLine(`{"eventType":"testCase","payl${line(nested)}`);
    expect(result.event).toEqual({
      eventType: 'unknown',
      originalEventType: 'coverage',
      reason: 'unknownEventType',
      payload: { inner: { eventType: 'x' } },
    });
    expect(result.problems?.[0]?.kind).toBe('tornLine');
  });

  it('tries a bounded number of event starts in a torn line, from its end', () => {
    // Thousands of unfinished starts in front of a whole event: the event is found.
    const starts = '{"eventType":'.repeat(20_000);
    expect(parseLine(starts + line(testCase)).event).toEqual(testCase);
    // With nothing whole after them the line is invalid JSON, found after MAX_RECOVERY_ATTEMPTS tries, not 20,000.
    expect(parseLine(starts).problems?.[0]?.kind).toBe('invalidJson');
    // An event whose payload nests more objects that start with eventType than are tried is not recovered.
    let nested: unknown = {};
    for (let depth = 0; depth < MAX_RECOVERY_ATTEMPTS; depth += 1) nested = { eventType: 'x', inner: nested };
    expect(parseLine(`junk${line({ eventType: 'coverage', payload: nested })}`).problems?.[0]?.kind).toBe('invalidJson');
  });

  it('refuses a long line nested deeper than any event before parsing it, and still finds the event after it', () => {
    // JSON.parse takes seconds on megabytes of `[`; the reader must not.
    const deep = '['.repeat(100_000);
    expect(parseLine(deep).problems?.[0]?.message).toMatch(new RegExp(`^nested more than ${MAX_NESTING} levels deep`));
    expect(parseLine(deep + line(testCase)).event).toEqual(testCase);
    // Brackets inside strings are text, not nesting: a long event full of them is an event.
    const chunk = `${'[{'.repeat(50_000)}\\"`;
    const output = { eventType: 'stdoutChunk', payload: { filePath: '/p/a.test.js', chunk } };
    expect(parseLine(line(output)).event).toEqual(output);
  });

  it('cannot be fooled by an eventType written inside a string', () => {
    // Inside a JSON string the quotes are escaped, so this is no event start.
    const result = parseLine(`{"eventType":"testCase","payload":{"chunk":"{\\"eventType\\":\\"x\\",\\"payload\\":{}}"`);
    expect(result.event).toBeUndefined();
    expect(result.problems?.[0]?.kind).toBe('invalidJson');
  });

  it('keeps unicode intact', () => {
    const event = { eventType: 'testCase', payload: { filePath: 'ü/日本.test.js', testName: '✓ émoji 🎉 \u2028', status: 'PASS' } };
    expect(parseLine(line(event)).event).toEqual(event);
  });
});
