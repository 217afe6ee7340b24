/**
 * Keeps the reports on disk in step with the run state. Changes are batched: files
 * touched by events are marked dirty and rewritten at most once per interval, so a
 * flood of events does not become a flood of writes. Each report is written to a
 * temporary file and renamed into place, so a reader never sees half a report.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FileRecord, RunState } from '../model/run-state.js';
import { renderFileReport } from './file-report.js';
import { displayPath, reportPathFor } from './report-path.js';
import { renderRunReport, type RunInfo } from './run-report.js';

export const RUN_REPORT = 'test-run.md';
const DEFAULT_INTERVAL_MS = 500;

export class ReportWriter {
  private readonly dirty = new Set<FileRecord>();
  private timer: NodeJS.Timeout | undefined;
  private summaryDirty = true;
  private soon: NodeJS.Immediate | undefined;
  /** Files whose report was written after they finished. */
  private readonly written = new WeakSet<FileRecord>();
  /** Directories already made: a mkdir per report write was a third of the final flush. */
  private readonly madeDirs = new Set<string>();

  constructor(
    readonly runDir: string,
    private readonly state: RunState,
    private readonly info: () => RunInfo,
    private readonly intervalMs = DEFAULT_INTERVAL_MS,
  ) {}

  /** The path of a file's report inside the run directory. */
  reportPath(file: FileRecord): string {
    return join(this.runDir, ...reportPathFor(file.filePath, this.state.projectRoot).split('/'));
  }

  get runReportPath(): string {
    return join(this.runDir, RUN_REPORT);
  }

  /**
   * Notes that `file` (or only the summary) changed. The write follows within the
   * interval, or as soon as the current batch of events is applied when the file has
   * just finished: a finished file changes no more, and writing it while the runner
   * still works keeps the end of the run short.
   */
  changed(file?: FileRecord): void {
    this.summaryDirty = true;
    if (file !== undefined) {
      this.dirty.add(file);
      if (file.status !== 'RUNNING' && !this.written.has(file)) this.soon ??= setImmediate(() => this.flush());
    }
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  private writeAtomically(path: string, text: string): void {
    const dir = dirname(path);
    if (!this.madeDirs.has(dir)) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      this.madeDirs.add(dir);
    }
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, text, { mode: 0o600 });
    renameSync(temporary, path);
  }

  /** Writes everything that changed, now. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    clearImmediate(this.soon);
    this.soon = undefined;
    for (const file of this.dirty) {
      if (file.status !== 'RUNNING') this.written.add(file);
      this.writeAtomically(this.reportPath(file), renderFileReport(file, displayPath(file.filePath, this.state.projectRoot), this.state.projectRoot));
    }
    this.dirty.clear();
    if (this.summaryDirty) this.writeAtomically(this.runReportPath, renderRunReport(this.state, this.info()));
    this.summaryDirty = false;
  }
}
