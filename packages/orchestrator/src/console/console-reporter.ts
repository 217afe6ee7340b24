/**
 * What 3pio prints while a run goes on. Written for an agent reading a captured
 * console: a failing file gets one line with its counts and report path, and its
 * failing tests one line each; passing files are only counted; the summary at the
 * end says where everything is.
 */
import { relative } from 'node:path';
import type { FileRecord, RunRecord, RunState } from '../model/run-state.js';
import { formatDuration } from '../reports/markdown.js';
import { firstLine, plural } from '../text.js';
import { consoleLines, consoleText, MAX_CONSOLE_CHARS } from './console-text.js';
import { fileName } from '../reports/file-name.js';
import { runnerLabel, runPlace, type RunStatus } from '../reports/run-report.js';

/** More failing tests than this in one file are counted, not named; the report names them all. */
export const MAX_TESTS_NAMED_PER_FILE = 10;

export interface ConsoleTarget {
  write(text: string): void;
}

/** While files keep passing, a line counting them at most this often shows the run is alive. */
export const PROGRESS_EVERY_MS = 10_000;

export class ConsoleReporter {
  private passedSinceLastLine = 0;
  private lastProgressAt = Date.now();
  private readonly announced = new Set<FileRecord>();

  constructor(
    private readonly out: ConsoleTarget,
    private readonly state: RunState,
    /** Where paths printed are relative to: the directory 3pio was started in. */
    private readonly cwd: string,
    private readonly reportPath: (file: FileRecord) => string,
  ) {}

  private path(absolute: string): string {
    const rel = relative(this.cwd, absolute);
    // Paths 3pio made (a report's) are shown whole, or the agent could not open them; only made safe.
    return consoleText(rel.startsWith('..') ? absolute : rel, Number.POSITIVE_INFINITY);
  }

  header(command: string, runDir: string, summaryPath: string): void {
    const lines = [
      `3pio: ${consoleText(command)}`,
      `Run directory: ${this.path(runDir)}`,
      `Summary report: ${this.path(summaryPath)}`,
      'Results appear as test files finish.',
      '',
    ];
    this.out.write(`${lines.join('\n')}\n`);
  }

  /** A run started: what 3pio changed in it, if anything, is said at once. */
  runStarted(run: RunRecord): void {
    const notes = run.start?.notes ?? [];
    if (notes.length === 0) return;
    const where = `${runnerLabel(run)} in ${runPlace(run, this.state.projectRoot)}`;
    this.out.write(
      notes.map((note) => `note (run ${run.index}, ${consoleText(where)}): ${consoleText(note, MAX_RUN_NOTE_CHARS)}\n`).join(''),
    );
  }

  /** Called whenever events changed `file`; prints it once, when it has finished. */
  fileChanged(file: FileRecord): void {
    if (file.status === 'RUNNING' || this.announced.has(file)) return;
    this.announced.add(file);
    if (file.status === 'PASS' || file.status === 'SKIP') {
      this.passedSinceLastLine += 1;
      if (Date.now() - this.lastProgressAt >= PROGRESS_EVERY_MS) this.flushPassed();
      return;
    }
    const name = consoleText(fileName(file, this.state));
    const { passed, failed, skipped } = file.counts;
    const counts = file.testCount === 0 ? 'no tests ran' : `${failed} failed, ${passed} passed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
    const why =
      file.status === 'INCOMPLETE'
        ? ` — did not finish: ${consoleText(file.incompleteReason ?? 'unknown reason')}`
        : file.error !== undefined
          ? ` — ${consoleText(firstLine(file.error.message), FIRST_LINE_CHARS)}`
          : '';
    const lines = [
      `${file.status === 'INCOMPLETE' ? 'INCOMPLETE' : 'FAIL'} ${name} (${counts})${why}`,
      `  → ${this.path(this.reportPath(file))}`,
    ];
    const failing = [...file.tests.values()].filter((test) => test.status === 'FAIL');
    for (const test of failing.slice(0, MAX_TESTS_NAMED_PER_FILE)) lines.push(`  ✕ ${testLine(test.ancestorTitles, test.name)}`);
    if (failing.length > MAX_TESTS_NAMED_PER_FILE)
      lines.push(`  … and ${failing.length - MAX_TESTS_NAMED_PER_FILE} more failing tests in the report`);
    this.out.write(`${lines.join('\n')}\n`);
  }

  /** Prints the count of files that passed since the last count, if any. */
  flushPassed(): void {
    this.lastProgressAt = Date.now();
    if (this.passedSinceLastLine === 0) return;
    this.out.write(`PASS ${plural(this.passedSinceLastLine, 'file')}\n`);
    this.passedSinceLastLine = 0;
  }

  /** Text shown when the command failed before any runner reported, or ran only runners 3pio does not support: the end of its own output. */
  commandOutput(tail: string, heading = "No test runner reported a run. The end of the command's output:"): void {
    this.out.write(`\n${heading}\n${consoleLines(tail).replace(/\n?$/, '\n')}`);
  }

  summary(status: RunStatus, durationMs: number, summaryPath: string, note?: string): void {
    for (const file of this.state.files.values()) this.fileChanged(file);
    this.flushPassed();
    const { files, tests } = this.state.totals();
    const fileParts = [
      `${files.FAIL} failed`,
      `${files.PASS} passed`,
      ...(files.SKIP > 0 ? [`${files.SKIP} skipped`] : []),
      ...(files.INCOMPLETE > 0 ? [`${files.INCOMPLETE} incomplete`] : []),
    ];
    const testCount = tests.passed + tests.failed + tests.skipped;
    const runs = this.state.runs.size === 1 ? '' : ` · runs: ${this.state.runs.size}`;
    const lines = [
      '',
      `${status}${runs} · files: ${fileParts.join(', ')} (${this.state.files.size}) · tests: ${tests.failed} failed, ${tests.passed} passed, ${tests.skipped} skipped (${testCount}) · ${formatDuration(durationMs)}`,
      ...(note === undefined ? [] : [consoleText(note, MAX_NOTE_CHARS)]),
      `Summary report: ${this.path(summaryPath)}`,
    ];
    this.out.write(`${lines.join('\n')}\n`);
  }
}

/** How much of an error's first line a FAIL line shows. */
const FIRST_LINE_CHARS = 160;
/** A failing test's line: its suite chain and title. */
const MAX_TEST_LINE_CHARS = 2 * MAX_CONSOLE_CHARS;
/** Notes from a runner's adapter are 3pio's own sentences: longer than a name, still bounded. */
const MAX_RUN_NOTE_CHARS = 4 * MAX_CONSOLE_CHARS;
/** The summary's note names runs and files: room for several, still bounded. */
const MAX_NOTE_CHARS = 8 * MAX_CONSOLE_CHARS;

/** `suite › test`, each title cut on its own and the whole line too, so a long suite name does not hide the test's. */
function testLine(ancestorTitles: string[], name: string): string {
  const titles = [...ancestorTitles.slice(0, 8).map((title) => consoleText(title, 80)), consoleText(name)];
  if (ancestorTitles.length > 8) titles.splice(8, 0, '…');
  return consoleText(titles.join(' › '), MAX_TEST_LINE_CHARS);
}
