/**
 * `test-run.md`: the run at a glance, and the way into every file's report. Failing
 * and unfinished files are listed first, since they are what a reader came for.
 */
import type { FileRecord, FileStatus, RunState } from '../model/run-state.js';
import { displayPath, reportPathFor } from './report-path.js';
import { codeBlock, formatDuration, inlineCode, plain } from './markdown.js';

export type RunStatus = 'RUNNING' | 'PASSED' | 'FAILED' | 'INTERRUPTED' | 'ERROR';

export interface RunInfo {
  command: string;
  startedAt: Date;
  finishedAt: Date | undefined;
  status: RunStatus;
  /** Why the run is ERROR or INTERRUPTED, or why files did not finish. */
  note?: string;
  exitCode?: number;
}

const ORDER: Record<FileStatus, number> = { FAIL: 0, INCOMPLETE: 1, RUNNING: 2, PASS: 3, SKIP: 4 };

export function sortedFiles(state: RunState): FileRecord[] {
  return [...state.files.values()].sort((a, b) => ORDER[a.status] - ORDER[b.status] || (a.filePath < b.filePath ? -1 : 1));
}

export function renderRunReport(state: RunState, info: RunInfo): string {
  const { files, tests } = state.totals();
  const fileCount = state.files.size;
  const duration = info.finishedAt === undefined ? undefined : info.finishedAt.getTime() - info.startedAt.getTime();
  const lines = [
    '# 3pio test run',
    '',
    `- Command: ${inlineCode(info.command)}`,
    `- Status: **${info.status}**${info.exitCode === undefined ? '' : ` (exit code ${info.exitCode})`}`,
    `- Started: ${info.startedAt.toISOString()}${info.finishedAt === undefined ? '' : ` · finished: ${info.finishedAt.toISOString()} (${formatDuration(duration)})`}`,
    `- Files: ${fileCount} (${files.PASS} passed, ${files.FAIL} failed, ${files.SKIP} skipped${files.INCOMPLETE > 0 ? `, ${files.INCOMPLETE} incomplete` : ''}${files.RUNNING > 0 ? `, ${files.RUNNING} running` : ''})`,
    `- Tests: ${tests.passed + tests.failed + tests.skipped} (${tests.passed} passed, ${tests.failed} failed, ${tests.skipped} skipped)`,
    '- Raw runner output: [output.log](output.log) · event log: [ipc.jsonl](ipc.jsonl)',
  ];
  if (info.note !== undefined) lines.push('', `> ${plain(info.note)}`);
  if (state.runErrors.length > 0) {
    lines.push('', '## Errors outside any test file');
    for (const error of state.runErrors) lines.push('', codeBlock(error.stack ?? error.message));
  }
  lines.push('', '## Test files');
  if (fileCount === 0) {
    lines.push('', 'No test file reported anything.');
  } else {
    lines.push('', '| Status | File | Tests | Passed | Failed | Skipped | Duration |', '|---|---|---:|---:|---:|---:|---:|');
    for (const file of sortedFiles(state)) {
      const link = `[${plain(displayPath(file.filePath, state.projectRoot))}](${encodeURI(reportPathFor(file.filePath, state.projectRoot))})`;
      const { passed, failed, skipped } = file.counts;
      lines.push(
        `| ${file.status} | ${link} | ${file.testCount} | ${passed} | ${failed} | ${skipped} | ${formatDuration(file.duration)} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
