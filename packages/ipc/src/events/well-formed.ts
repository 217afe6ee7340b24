/**
 * The reader's fast path: an event exactly as 3pio's writers make it (every field
 * valid, no field the protocol does not know) is accepted here, without zod, as it
 * came from JSON.parse. Anything else returns undefined and goes to the zod schemas
 * (schemas.ts), which stay the protocol's definition and explain what is wrong.
 *
 * Why: zod takes ~40 ms to load and ~4 µs per event, CPU that 3pio's process takes
 * from the test runner it watches, on a 0.3 s Mocha run about a sixth of its time.
 * The contract, checked by a differential test against the schemas: whatever this
 * accepts, the schemas accept and return unchanged.
 */
import type { KnownEvent, KnownEventType } from './schemas.js';

type Check = (value: unknown) => boolean;

const isString: Check = (value) => typeof value === 'string';
const isNonEmptyString: Check = (value) => typeof value === 'string' && value.length > 0;
const isNumber: Check = (value) => typeof value === 'number' && Number.isFinite(value);
const isNonNegative: Check = (value) => typeof value === 'number' && Number.isFinite(value) && value >= 0;
const isInteger: Check = (value) => Number.isSafeInteger(value);
const isNonNegativeInteger: Check = (value) => Number.isSafeInteger(value) && (value as number) >= 0;
const isPositiveInteger: Check = (value) => Number.isSafeInteger(value) && (value as number) > 0;
const isBoolean: Check = (value) => typeof value === 'boolean';
const isStatus: Check = (value) => value === 'PASS' || value === 'FAIL' || value === 'SKIP';
const arrayOf =
  (check: Check): Check =>
  (value) =>
    Array.isArray(value) && value.every(check);
const isStringArray = arrayOf(isString);

/** A plain object with all of `required`, any of `optional`, nothing else, every value valid. */
function objectOf(required: Record<string, Check>, optional: Record<string, Check> = {}): Check {
  const requiredKeys = Object.keys(required);
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const record = value as Record<string, unknown>;
    for (const key of requiredKeys) if (!Object.hasOwn(record, key)) return false;
    for (const key in record) {
      const check = Object.hasOwn(required, key) ? required[key] : Object.hasOwn(optional, key) ? optional[key] : undefined;
      if (check === undefined || !check(record[key])) return false;
    }
    return true;
  };
}

const sourceLocation = objectOf({ line: isNonNegativeInteger }, { file: isString, column: isNonNegativeInteger });
const failureDetails = objectOf(
  { message: isString },
  { stack: isString, expected: isString, actual: isString, diff: isString, location: sourceLocation },
);
const outputChunk = objectOf(
  { filePath: isNonEmptyString, chunk: isString },
  { project: isNonEmptyString, testName: isString, ancestorTitles: isStringArray },
);

const payloads: Record<KnownEventType, Check> = {
  runStart: objectOf(
    {},
    {
      runner: isString,
      runnerVersion: isString,
      pid: isInteger,
      cwd: isString,
      root: isString,
      argv: isStringArray,
      totalFiles: isNonNegativeInteger,
      testFiles: isStringArray,
      notes: isStringArray,
      label: isString,
      unsupported: isString,
    },
  ),
  testFileStart: objectOf({ filePath: isNonEmptyString }, { project: isNonEmptyString }),
  testCase: objectOf(
    { filePath: isNonEmptyString, testName: isString, status: isStatus },
    {
      project: isNonEmptyString,
      testId: isString,
      suiteName: isString,
      ancestorTitles: isStringArray,
      runnerStatus: isString,
      duration: isNonNegative,
      attempts: isPositiveInteger,
      error: isString,
      failure: failureDetails,
    },
  ),
  testFileResult: objectOf(
    { filePath: isNonEmptyString, status: isStatus },
    { project: isNonEmptyString, duration: isNonNegative, error: failureDetails },
  ),
  stdoutChunk: outputChunk,
  stderrChunk: outputChunk,
  runComplete: objectOf(
    {},
    {
      runner: isString,
      pid: isInteger,
      status: isStatus,
      duration: isNonNegative,
      interrupted: isBoolean,
      totals: objectOf(
        {},
        {
          files: isNonNegativeInteger,
          tests: isNonNegativeInteger,
          passed: isNonNegativeInteger,
          failed: isNonNegativeInteger,
          skipped: isNonNegativeInteger,
        },
      ),
      errors: arrayOf(failureDetails),
      lostEvents: isNonNegativeInteger,
    },
  ),
  adapterError: objectOf(
    { runner: isString, hook: isString, message: isString },
    { stack: isString, filePath: isString, project: isNonEmptyString, testName: isString, ancestorTitles: isStringArray },
  ),
};

const envelopes = Object.fromEntries(
  Object.entries(payloads).map(([type, payload]) => [
    type,
    objectOf({ eventType: (value) => value === type, payload }, { run: isNonEmptyString, timestamp: isNumber }),
  ]),
) as Record<KnownEventType, Check>;

export function isKnownEventType(type: string): type is KnownEventType {
  return Object.hasOwn(payloads, type);
}

/** `raw` itself when it is a well-formed event of `type`; undefined when the schemas must decide. */
export function wellFormedEvent(type: KnownEventType, raw: Record<string, unknown>): KnownEvent | undefined {
  return envelopes[type](raw) ? (raw as KnownEvent) : undefined;
}
