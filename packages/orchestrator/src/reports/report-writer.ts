/**
 * Keeps the reports on disk in step with the run state. Changes are batched: files
 * touched by events are marked dirty and rewritten at most once per interval, so a
 * flood of events does not become a flood of writes. Writes go through the thread pool,
 * several at a time, so that the event loop goes on reading events meanwhile: creating
 * thousands of report directories is slow on a disk that the runner is busy appending
 * to. Each report is written to a temporary file and renamed into place, so a reader
 * never sees half a report.
 */
import { mkdir, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FileRecord, RunState } from '../model/run-state.js';
import { renderFileReport } from './file-report.js';
import { fileName } from './file-name.js';
import { reportPathFor } from './report-path.js';
import { renderRunReport, type RunInfo } from './run-report.js';
import { openTemporary } from './temporary-file.js';

export const RUN_REPORT = 'test-run.md';
const DEFAULT_INTERVAL_MS = 500;
/** Writes in flight at once: enough to keep the thread pool busy, few enough to bound memory. */
const PARALLEL_WRITES = 8;

/** File system calls reject with Errors; anything else is wrapped so that it can be rethrown as one. */
function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

export class ReportWriter {
  private readonly dirty = new Set<FileRecord>();
  private timer: NodeJS.Timeout | undefined;
  private summaryDirty = true;
  /** Directories already made (or being made): each report's directory is made once. */
  private readonly madeDirs = new Map<string, Promise<unknown>>();
  /** Flushes run one after another, so one report is never written twice at once. */
  private flushing: Promise<void> = Promise.resolve();
  /** The first write that failed in a background flush, surfaced by the next flush() the caller awaits. */
  private failure: Error | undefined;

  constructor(
    readonly runDir: string,
    private readonly state: RunState,
    private readonly info: () => RunInfo,
    private readonly intervalMs = DEFAULT_INTERVAL_MS,
  ) {}

  /** The path of a file's report inside the run directory. */
  reportPath(file: FileRecord): string {
    return join(this.runDir, ...reportPathFor(file.filePath, this.state.projectRoot, file.variant).split('/'));
  }

  get runReportPath(): string {
    return join(this.runDir, RUN_REPORT);
  }

  /** Notes that `file` (or only the summary) changed; the write follows within the interval. */
  changed(file?: FileRecord): void {
    if (file !== undefined) this.dirty.add(file);
    this.summaryDirty = true;
    this.timer ??= setTimeout(() => {
      this.flush().catch((error: unknown) => (this.failure ??= asError(error)));
    }, this.intervalMs);
  }

  /** Writes everything that changed; resolves once it is on disk. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    // Rendered now, from the state as it is now; written in the background.
    const reports = [...this.dirty].map((file) => ({
      path: this.reportPath(file),
      text: renderFileReport(file, fileName(file, this.state), this.state.projectRoot),
    }));
    this.dirty.clear();
    const summary = this.summaryDirty ? renderRunReport(this.state, this.info()) : undefined;
    this.summaryDirty = false;
    // The summary goes last, so that every report it links to is already there.
    this.flushing = this.flushing
      .then(() => this.writeAll(reports))
      .then(() => (summary === undefined ? undefined : this.writeAtomically(this.runReportPath, summary)))
      .catch((error: unknown) => {
        this.failure ??= asError(error);
      });
    return this.flushing.then(() => {
      const failure = this.failure;
      this.failure = undefined;
      if (failure !== undefined) throw failure;
    });
  }

  private async writeAll(writes: { path: string; text: string }[]): Promise<void> {
    // One queue, several workers: each takes the next write when its last one is done.
    const queue = writes.values();
    // A report that cannot be written does not keep the others, or the summary, from being written.
    const worker = async () => {
      for (const { path, text } of queue)
        await this.writeAtomically(path, text).catch((error: unknown) => (this.failure ??= asError(error)));
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_WRITES, writes.length) }, worker));
  }

  private async writeAtomically(path: string, text: string): Promise<void> {
    const dir = dirname(path);
    let made = this.madeDirs.get(dir);
    if (made === undefined) {
      made = mkdir(dir, { recursive: true, mode: 0o700 });
      this.madeDirs.set(dir, made);
    }
    await made;
    const temporary = await writeTemporary(dir, text);
    await rename(temporary, path);
  }
}

/** A new file in `dir` holding `text`; its name is unguessable and never an existing file's (temporary-file.ts). */
async function writeTemporary(dir: string, text: string): Promise<string> {
  const { path, handle } = await openTemporary(dir);
  try {
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
  return path;
}
