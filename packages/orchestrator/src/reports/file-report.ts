/**
 * `reports/<file>/index.md`: one test file, for an agent that opened it to find out
 * what failed and why: the verdict first, then failures in full, then every test by
 * suite, then what the file printed.
 */
import type { FailureDetails } from '@3pio/ipc';
import type { FileRecord, TestRecord } from '../model/run-state.js';
import { plural } from '../text.js';
import { codeBlock, formatDuration, inlineCode, plain } from './markdown.js';

const STATUS_WORD = { PASS: 'PASSED', FAIL: 'FAILED', SKIP: 'SKIPPED', RUNNING: 'RUNNING', INCOMPLETE: 'INCOMPLETE' } as const;
const TEST_MARK = { PASS: '✓', FAIL: '✕', SKIP: '○' } as const;

function testTitle(test: TestRecord): string {
  return [...test.ancestorTitles, test.name].join(' › ');
}

const RUNNER_FRAME = /^\s+at .*(node_modules[\\/]|node:internal|\(node:|<anonymous>)/;

/** The stack without the runner's and Node's own frames, which tell a reader nothing. */
export function trimStack(stack: string): string {
  const lines = stack.split('\n');
  const kept = lines.filter((line) => !RUNNER_FRAME.test(line));
  const dropped = lines.length - kept.length;
  return dropped === 0 ? stack : `${kept.join('\n')}\n    … ${plural(dropped, 'frame')} in node_modules and Node internals left out`;
}

/** The message often shows expected and received already (Jest, Vitest): then they are not repeated. */
function messageShowsValues(failure: FailureDetails): boolean {
  return [failure.expected, failure.actual].every((value) => value === undefined || failure.message.includes(value));
}

function failureSection(failure: FailureDetails, projectRoot: string): string[] {
  const lines = [codeBlock(failure.message)];
  if (failure.diff !== undefined) lines.push('', codeBlock(failure.diff, 'diff'));
  else if ((failure.expected !== undefined || failure.actual !== undefined) && !messageShowsValues(failure)) {
    lines.push('', `Expected:`, codeBlock(failure.expected ?? '(not given)'), `Received:`, codeBlock(failure.actual ?? '(not given)'));
  }
  if (failure.location !== undefined) {
    const { file, line, column } = failure.location;
    const where = file === undefined ? '' : file.startsWith(`${projectRoot}/`) ? file.slice(projectRoot.length + 1) : file;
    lines.push('', `Location: ${inlineCode(`${where}:${line}${column === undefined ? '' : `:${column}`}`)}`);
  }
  if (failure.stack !== undefined && failure.stack !== failure.message) {
    lines.push('', '<details><summary>Stack</summary>', '', codeBlock(trimStack(failure.stack)), '', '</details>');
  }
  return lines;
}

function testLine(test: TestRecord): string {
  const runnerWord = test.runnerStatus !== undefined && test.status === 'SKIP' ? ` (${plain(test.runnerStatus)})` : '';
  const time = test.duration === undefined ? '' : ` (${formatDuration(test.duration)})`;
  const attempts =
    test.attempts === undefined
      ? ''
      : test.status === 'FAIL'
        ? ` · failed all ${test.attempts} attempts`
        : test.status === 'PASS'
          ? ` · passed on attempt ${test.attempts}`
          : ` · ${test.attempts} attempts`;
  return `- ${TEST_MARK[test.status]} ${plain(test.name)}${runnerWord}${time}${attempts}`;
}

/** Tests grouped under one heading per suite chain, in the order they were reported. */
function testsBySuite(tests: Iterable<TestRecord>): string[] {
  const groups = new Map<string, { suite: string[]; tests: TestRecord[] }>();
  for (const test of tests) {
    const key = JSON.stringify(test.ancestorTitles);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { suite: test.ancestorTitles, tests: [test] });
    else group.tests.push(test);
  }
  const lines: string[] = [];
  for (const { suite, tests: inSuite } of groups.values()) {
    lines.push('', `### ${suite.length === 0 ? '(top level)' : suite.map(plain).join(' › ')}`, '');
    for (const test of inSuite) lines.push(testLine(test));
  }
  return lines;
}

export function renderFileReport(file: FileRecord, name: string, projectRoot: string): string {
  const { counts } = file;
  const lines = [
    `# ${plain(name)}`,
    '',
    `**${STATUS_WORD[file.status]}** · ${file.testCount} tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped · ${formatDuration(file.duration)}`,
    '',
    `Test file: ${inlineCode(file.filePath)}`,
  ];
  if (file.incompleteReason !== undefined) {
    lines.push('', `> **This file did not finish:** ${plain(file.incompleteReason)}. The results below are what was reported before that.`);
  }
  if (file.error !== undefined) lines.push('', '## File error', '', ...failureSection(file.error, projectRoot));

  const failed = [...file.tests.values()].filter((test) => test.status === 'FAIL');
  if (failed.length > 0) {
    lines.push('', '## Failures');
    for (const test of failed) {
      lines.push(
        '',
        `### ✕ ${plain(testTitle(test))}`,
        '',
        ...(test.failure === undefined ? ['(the runner gave no details)'] : failureSection(test.failure, projectRoot)),
      );
    }
  }

  lines.push('', '## Tests');
  if (file.testCount === 0) lines.push('', 'No tests were reported for this file.');
  else for (const line of testsBySuite(file.tests.values())) lines.push(line);

  if (!file.output.isEmpty) {
    lines.push('', '## Output');
    for (const chunk of file.output.chunks) {
      const who = chunk.testName === undefined ? '' : ` (${plain(chunk.testName)})`;
      lines.push('', `${chunk.stream}${who}:`, codeBlock(chunk.text));
    }
    if (file.output.omitted > 0) {
      lines.push('', `(${file.output.omitted} more characters of output are in the run's ipc.jsonl and output.log.)`);
    }
  }
  return `${lines.join('\n')}\n`;
}
