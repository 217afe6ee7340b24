/**
 * `junit.xml`: the session in the JUnit XML shape that GitHub, GitLab, Jenkins and
 * CircleCI read (the Ant/Jenkins "JUnit.xsd" family), rendered from the run state, not
 * the events: one `<testsuite>` per test file of every run, a `<testcase>` per test. A
 * file that failed to load or never finished, and an error outside any test file, are
 * each one `<testcase>` with an `<error>`: CI tools show errors only on test cases.
 *
 * Rendered as a sequence of chunks (a test case at a time), so that a run of 100,000
 * tests is written without ever being one string. Every text from an event is escaped:
 * `&`, `<`, `>` and quotes, and the characters XML 1.0 cannot hold at all (control
 * characters, lone surrogates, U+FFFE/U+FFFF) written as visible `\u001b` escapes, so a
 * hostile test name cannot make the file unreadable or inject elements. No CDATA: with
 * every `>` escaped, `]]>` is plain text.
 */
import { hostname } from 'node:os';
import type { FailureDetails } from '@3pio/ipc';
import type { FileRecord, RunState, TestRecord } from '../model/run-state.js';
import { escapeControl, firstLine } from '../text.js';
import { trimStack } from './file-report.js';
import { fileName } from './file-name.js';
import { displayPath } from './report-path.js';
import { runnerLabel, runPlace, type RunInfo } from './run-report.js';

export const JUNIT_REPORT = 'junit.xml';

/** Joins the suite chain in a classname, as 3pio's console and reports join it. */
const CHAIN = ' › ';
/** A `message` attribute holds a failure's first line, cut here; the element's text holds all of it. */
const MAX_MESSAGE_CHARS = 1000;

// Not allowed anywhere in an XML 1.0 document (C0 controls but tab, newline and return;
// U+FFFE, U+FFFF; with the `u` flag, a surrogate matches only when it is lone), and the
// DEL/C1 controls, which XML allows but discourages and terminals misread.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff\ud800-\udfff]/gu;
const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
// In attributes, quotes end the value and tabs and line ends would be normalised to spaces by the reader.
const ATTRIBUTE_ESCAPES: Record<string, string> = {
  ...TEXT_ESCAPES,
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/** Element text: any string, escaped so that it reads back the same (illegal characters as `\uXXXX`). */
export function xmlText(text: string): string {
  return text.replace(NOT_XML, escapeControl).replace(/[&<>]|\r/g, (char) => (char === '\r' ? '&#13;' : (TEXT_ESCAPES[char] ?? char)));
}

/** An attribute's value, quoted. */
export function xmlAttribute(text: string): string {
  return `"${text.replace(NOT_XML, escapeControl).replace(/[&<>"'\t\n\r]/g, (char) => ATTRIBUTE_ESCAPES[char] ?? char)}"`;
}

/** Milliseconds as the seconds JUnit wants: three decimals, no exponent. */
export function junitSeconds(ms: number | undefined): string {
  return ms === undefined || !Number.isFinite(ms) || ms < 0 ? '0' : (ms / 1000).toFixed(3);
}

/** Ant's timestamp: ISO 8601 to the second, no zone (it is UTC, as in jest-junit). */
function junitTimestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

function attributes(pairs: Record<string, string | number | undefined>): string {
  return Object.entries(pairs)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}=${xmlAttribute(String(value))}`)
    .join('');
}

/** The failure in full, as the file report gives it: message, the values compared, where, the stack. */
function failureText(failure: FailureDetails, projectRoot: string): string {
  const parts: string[] = [];
  const stackHasMessage = failure.stack?.includes(failure.message) === true;
  if (!stackHasMessage) parts.push(failure.message);
  if (failure.diff !== undefined) parts.push(failure.diff);
  else if (failure.expected !== undefined || failure.actual !== undefined) {
    parts.push(`Expected: ${failure.expected ?? '(not given)'}\nReceived: ${failure.actual ?? '(not given)'}`);
  }
  if (failure.location !== undefined) {
    const { file, line, column } = failure.location;
    const where = file === undefined ? '' : file.startsWith(`${projectRoot}/`) ? file.slice(projectRoot.length + 1) : file;
    parts.push(`at ${where}:${line}${column === undefined ? '' : `:${column}`}`);
  }
  if (failure.stack !== undefined) parts.push(trimStack(failure.stack));
  return parts.join('\n\n');
}

/** `<failure>` or `<error>`: the first line as the message, the whole as the text. */
function problem(element: 'failure' | 'error', failure: FailureDetails | undefined, fallback: string, projectRoot: string): string {
  const message = failure === undefined ? fallback : firstLine(failure.message).slice(0, MAX_MESSAGE_CHARS);
  const type = failure === undefined ? undefined : /^(\w*Error)\b/.exec(failure.stack ?? failure.message)?.[1];
  const text = failure === undefined ? '' : xmlText(failureText(failure, projectRoot));
  return `<${element}${attributes({ message, type: type ?? (element === 'failure' ? 'AssertionError' : 'Error') })}>${text}</${element}>`;
}

/** The file-level error case of a file: it failed to load or in a hook, or never finished. */
function fileError(file: FileRecord): { name: string; failure: FailureDetails | undefined; fallback: string } | undefined {
  if (file.error !== undefined) return { name: '(test file error)', failure: file.error, fallback: '' };
  if (file.status === 'INCOMPLETE') {
    return {
      name: '(test file did not finish)',
      failure: undefined,
      fallback: `did not finish: ${file.incompleteReason ?? 'unknown reason'}`,
    };
  }
  return undefined;
}

function testCase(test: TestRecord, suite: string, path: string, projectRoot: string): string {
  const classname = [suite, ...test.ancestorTitles].join(CHAIN);
  const open = `    <testcase${attributes({ name: test.name, classname, file: path, time: junitSeconds(test.duration) })}`;
  switch (test.status) {
    case 'PASS':
      return `${open}/>\n`;
    case 'SKIP':
      return `${open}>\n      <skipped${attributes({ message: test.runnerStatus })}/>\n    </testcase>\n`;
    case 'FAIL': {
      const attempts = test.attempts === undefined ? '' : ` (failed all ${test.attempts} attempts)`;
      const failure = problem('failure', test.failure, `failed${attempts} (the runner gave no details)`, projectRoot);
      return `${open}>\n      ${failure}\n    </testcase>\n`;
    }
  }
}

function output(file: FileRecord, stream: 'stdout' | 'stderr'): string {
  let text = '';
  for (const chunk of file.output.chunks) if (chunk.stream === stream) text += chunk.text;
  if (stream === 'stdout' && file.output.omitted > 0) {
    text += `\n(${file.output.omitted} more characters of output are in the run's ipc.jsonl and output.log.)\n`;
  }
  return text === ''
    ? ''
    : `    <system-${stream === 'stdout' ? 'out' : 'err'}>${xmlText(text)}</system-${stream === 'stdout' ? 'out' : 'err'}>\n`;
}

interface SuiteCounts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function countsOf(file: FileRecord): SuiteCounts {
  const errors = fileError(file) === undefined ? 0 : 1;
  return { tests: file.testCount + errors, failures: file.counts.failed, errors, skipped: file.counts.skipped };
}

function* testSuite(file: FileRecord, state: RunState, info: RunInfo, id: number, host: string): Generator<string> {
  const path = displayPath(file.filePath, state.projectRoot);
  // Named as on the console: with its project, and its run when several runs ran the same file.
  const name = fileName(file, state);
  const counts = countsOf(file);
  let testTime = 0;
  for (const test of file.tests.values()) testTime += test.duration ?? 0;
  yield `  <testsuite${attributes({
    name,
    tests: counts.tests,
    failures: counts.failures,
    errors: counts.errors,
    skipped: counts.skipped,
    time: junitSeconds(file.duration ?? testTime),
    timestamp: junitTimestamp(file.startedAt ?? info.startedAt.getTime()),
    hostname: host,
    id,
    file: path,
  })}>\n`;
  yield '    <properties>\n';
  yield `      <property name="run"${attributes({ value: file.run.index })}/>\n`;
  yield `      <property name="runner"${attributes({ value: runnerLabel(file.run) })}/>\n`;
  yield `      <property name="where"${attributes({ value: runPlace(file.run, state.projectRoot) })}/>\n`;
  if (file.project !== undefined) yield `      <property name="project"${attributes({ value: file.project })}/>\n`;
  yield '    </properties>\n';
  const error = fileError(file);
  if (error !== undefined) {
    yield `    <testcase${attributes({ name: error.name, classname: name, file: path, time: junitSeconds(file.duration) })}>\n`;
    yield `      ${problem('error', error.failure, error.fallback, state.projectRoot)}\n    </testcase>\n`;
  }
  for (const test of file.tests.values()) yield testCase(test, name, path, state.projectRoot);
  yield output(file, 'stdout');
  yield output(file, 'stderr');
  yield '  </testsuite>\n';
}

const RUN_ERRORS_SUITE = '(errors outside any test file)';

/**
 * The whole document, in chunks. Totals first: `<testsuites>` counts every test case
 * below it, so tests = passed + failed + skipped + errors, where errors are the file
 * errors and the errors outside any test file.
 */
export function* junitXml(state: RunState, info: RunInfo): Generator<string> {
  const files = [...state.runs.values()].flatMap((run) => run.files);
  const total: SuiteCounts = { tests: state.runErrors.length, failures: 0, errors: state.runErrors.length, skipped: 0 };
  for (const file of files) {
    const counts = countsOf(file);
    total.tests += counts.tests;
    total.failures += counts.failures;
    total.errors += counts.errors;
    total.skipped += counts.skipped;
  }
  const duration = info.finishedAt === undefined ? undefined : info.finishedAt.getTime() - info.startedAt.getTime();
  const host = hostname();
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  yield `<testsuites${attributes({ name: `3pio: ${info.command}`, ...total, time: junitSeconds(duration) })}>\n`;
  let id = 0;
  for (const file of files) yield* testSuite(file, state, info, id++, host);
  if (state.runErrors.length > 0) {
    const n = state.runErrors.length;
    const stamp = junitTimestamp(info.startedAt.getTime());
    yield `  <testsuite${attributes({ name: RUN_ERRORS_SUITE, tests: n, failures: 0, errors: n, skipped: 0, time: '0', timestamp: stamp, hostname: host, id })}>\n`;
    for (const [index, error] of state.runErrors.entries()) {
      yield `    <testcase${attributes({ name: `error ${index + 1}`, classname: RUN_ERRORS_SUITE, time: '0' })}>\n`;
      yield `      ${problem('error', error, '', state.projectRoot)}\n    </testcase>\n`;
    }
    yield '  </testsuite>\n';
  }
  yield '</testsuites>\n';
}
