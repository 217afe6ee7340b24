/**
 * `test-run.md`: the run at a glance, and the way into every file's report. Failing
 * and unfinished files are listed first, since they are what a reader came for.
 */
import type { FileRecord, FileStatus, RunRecord, RunState } from '../model/run-state.js';
import { shownCommand } from '../command/shown-command.js';
import { fileName } from './file-name.js';
import { displayPath, reportPathFor } from './report-path.js';
import { codeBlock, formatDuration, inlineCode, plain } from './markdown.js';

/** The session's status; NO TESTS: the command ran, and no runner reported a run. */
export type RunStatus = 'RUNNING' | 'PASSED' | 'FAILED' | 'INTERRUPTED' | 'ERROR' | 'NO TESTS';

export interface RunInfo {
  command: string;
  startedAt: Date;
  finishedAt: Date | undefined;
  status: RunStatus;
  /** Why the run is ERROR or INTERRUPTED, or why files did not finish. */
  note?: string;
  exitCode?: number;
  /** `--label` / THREEPIO_LABEL: what the session is called ("shard 2/4", "node-22"). */
  label?: string;
}

const ORDER: Record<FileStatus, number> = { FAIL: 0, INCOMPLETE: 1, RUNNING: 2, PASS: 3, SKIP: 4 };

export function sortedFiles(state: RunState): FileRecord[] {
  return [...state.files.values()].sort(
    (a, b) => ORDER[a.status] - ORDER[b.status] || (a.filePath < b.filePath ? -1 : a.filePath > b.filePath ? 1 : a.variant - b.variant),
  );
}

/** One run's verdict: INCOMPLETE when it never said it completed, FAIL when a file or the runner says so. */
export function runStatus(run: RunRecord): FileStatus {
  if (run.unfinished) return 'INCOMPLETE';
  const { files } = run.totals();
  if (files.FAIL > 0 || files.INCOMPLETE > 0 || run.complete?.status === 'FAIL') return 'FAIL';
  if (files.RUNNING > 0) return 'RUNNING';
  return files.PASS > 0 || run.complete?.status === 'PASS' ? 'PASS' : 'SKIP';
}

/** Where a run ran, as a path relative to where 3pio was started (`.` for the same directory). */
export function runPlace(run: RunRecord, projectRoot: string): string {
  const root = run.root(projectRoot);
  return root === projectRoot ? '.' : displayPath(root, projectRoot);
}

/** `jest 30.5.2`, `vitest`, or `(unknown runner)` for a run whose runStart never came. */
export function runnerLabel(run: RunRecord): string {
  const runner = run.runner ?? '(unknown runner)';
  return run.start?.runnerVersion === undefined ? runner : `${runner} ${run.start.runnerVersion}`;
}

function countsText(files: Record<FileStatus, number>, fileCount: number, tests: { passed: number; failed: number; skipped: number }) {
  return {
    files: `${fileCount} (${files.PASS} passed, ${files.FAIL} failed, ${files.SKIP} skipped${files.INCOMPLETE > 0 ? `, ${files.INCOMPLETE} incomplete` : ''}${files.RUNNING > 0 ? `, ${files.RUNNING} running` : ''})`,
    tests: `${tests.passed + tests.failed + tests.skipped} (${tests.passed} passed, ${tests.failed} failed, ${tests.skipped} skipped)`,
  };
}

/** The runs' labels (merged runs of labelled sessions), in the order they first appear; none when no run has one. */
function labelsOf(state: RunState): string[] {
  return [...new Set([...state.runs.values()].flatMap((run) => (run.start?.label === undefined ? [] : [run.start.label])))];
}

/** Each label's totals: a merge of shards shows each shard's share. */
function labelsSection(state: RunState, labels: string[]): string[] {
  const lines = [
    '',
    '## Labels',
    '',
    '| Label | Runs | Files | Tests | Passed | Failed | Skipped |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const label of labels) {
    const runs = [...state.runs.values()].filter((run) => run.start?.label === label);
    let files = 0;
    const tests = { passed: 0, failed: 0, skipped: 0 };
    for (const run of runs) {
      const totals = run.totals().tests;
      files += run.files.length;
      tests.passed += totals.passed;
      tests.failed += totals.failed;
      tests.skipped += totals.skipped;
    }
    lines.push(
      `| ${plain(label)} | ${runs.length} | ${files} | ${tests.passed + tests.failed + tests.skipped} | ${tests.passed} | ${tests.failed} | ${tests.skipped} |`,
    );
  }
  return lines;
}

function runsSection(state: RunState): string[] {
  const lines = ['', '## Runs', ''];
  if (state.runs.size === 0) return [...lines, 'No test runner reported a run.'];
  const labelled = labelsOf(state).length > 0;
  lines.push(
    `| Run | Status |${labelled ? ' Label |' : ''} Where | Runner | Arguments | Files | Tests | Passed | Failed | Skipped |`,
    `|---:|---|${labelled ? '---|' : ''}---|---|---|---:|---:|---:|---:|---:|`,
  );
  for (const run of state.runs.values()) {
    const { tests } = run.totals();
    const argv = run.start?.argv;
    const args = argv === undefined ? '–' : argv.length === 0 ? '(none)' : inlineCode(shownCommand(argv));
    // A runner too old for 3pio ran without its adapter: 3pio has no verdict on it.
    const status = run.start?.unsupported === undefined ? runStatus(run) : 'UNSUPPORTED';
    lines.push(
      `| ${run.index} | ${status} |${labelled ? ` ${plain(run.start?.label ?? '–')} |` : ''} ${plain(runPlace(run, state.projectRoot))} | ${plain(runnerLabel(run))} | ${args} | ${run.files.length} | ${tests.passed + tests.failed + tests.skipped} | ${tests.passed} | ${tests.failed} | ${tests.skipped} |`,
    );
  }
  const notes = [...state.runs.values()].flatMap((run) => (run.start?.notes ?? []).map((note) => `- Run ${run.index}: ${plain(note)}`));
  if (notes.length > 0) lines.push('');
  for (const note of notes) lines.push(note);
  return lines;
}

export function renderRunReport(state: RunState, info: RunInfo): string {
  const { files, tests } = state.totals();
  const fileCount = state.files.size;
  const counts = countsText(files, fileCount, tests);
  const duration = info.finishedAt === undefined ? undefined : info.finishedAt.getTime() - info.startedAt.getTime();
  const manyRuns = state.runs.size > 1;
  const lines = [
    '# 3pio test run',
    '',
    `- Command: ${inlineCode(info.command)}`,
    ...(info.label === undefined ? [] : [`- Label: ${plain(info.label)}`]),
    `- Status: **${info.status}**${info.exitCode === undefined ? '' : ` (exit code ${info.exitCode})`}`,
    `- Started: ${info.startedAt.toISOString()}${info.finishedAt === undefined ? '' : ` · finished: ${info.finishedAt.toISOString()} (${formatDuration(duration)})`}`,
    `- Runs: ${state.runs.size}`,
    `- Files: ${counts.files}`,
    `- Tests: ${counts.tests}`,
    `- Raw output of the command: [output.log](output.log) · event log: [ipc.jsonl](ipc.jsonl)${info.finishedAt === undefined ? '' : ' · JUnit XML: [junit.xml](junit.xml)'}`,
  ];
  if (info.note !== undefined) lines.push('', `> ${plain(info.note)}`);
  for (const line of runsSection(state)) lines.push(line);
  const labels = labelsOf(state);
  if (labels.length > 0) for (const line of labelsSection(state, labels)) lines.push(line);
  if (state.runErrors.length > 0) {
    lines.push('', '## Errors outside any test file');
    for (const error of state.runErrors) lines.push('', codeBlock(error.stack ?? error.message));
  }
  lines.push('', '## Test files');
  if (fileCount === 0) {
    lines.push('', 'No test file reported anything.');
  } else {
    lines.push(
      '',
      `| Status | File |${manyRuns ? ' Run |' : ''} Tests | Passed | Failed | Skipped | Duration |`,
      `|---|---|${manyRuns ? '---:|' : ''}---:|---:|---:|---:|---:|`,
    );
    for (const file of sortedFiles(state)) {
      const link = `[${plain(fileName(file, state, { runShownApart: true }))}](${encodeURI(reportPathFor(file.filePath, state.projectRoot, file.variant))})`;
      const { passed, failed, skipped } = file.counts;
      lines.push(
        `| ${file.status} | ${link} |${manyRuns ? ` ${file.run.index} |` : ''} ${file.testCount} | ${passed} | ${failed} | ${skipped} | ${formatDuration(file.duration)} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
