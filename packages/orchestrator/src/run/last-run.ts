/**
 * `3pio last`: the newest finished run's console summary, printed again without running
 * anything: its failing files with their failing tests and report paths, then the
 * totals line. Rebuilt as the run itself printed it: the run's events read into a
 * RunState and rendered by the same ConsoleReporter, with the status, times and notes
 * the session recorded when it ended (session.json). Nothing is written.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { isRunId } from '@3pio/ipc/paths';
import { ConsoleReporter, type ConsoleTarget } from '../console/console-reporter.js';
import { consoleText } from '../console/console-text.js';
import { RunState } from '../model/run-state.js';
import { ReportWriter } from '../reports/report-writer.js';
import { EXIT_USAGE } from './exit-codes.js';
import { followEvents } from './event-feed.js';
import { readLatest } from './latest-link.js';
import { runsDirectoryOf } from './run-directory.js';
import { readSessionRecord, runInfoOf, type SessionRecord } from './session-record.js';

/** The run `latest` names, else (a `latest` lost or never made) the newest run that finished. */
async function lastRun(runsDir: string): Promise<{ runId: string; record: SessionRecord } | undefined> {
  const latest = await readLatest(runsDir);
  const candidates = latest === undefined ? [] : [latest];
  const names = await readdir(runsDir).catch(() => []);
  candidates.push(...names.filter(isRunId).sort().reverse());
  for (const runId of candidates) {
    const record = await readSessionRecord(join(runsDir, runId));
    if (record !== undefined) return { runId, record };
  }
  return undefined;
}

/** Prints the last run's summary; resolves with that run's exit code, or 2 when there is no finished run to show. */
export async function showLastRun(options: { cwd: string; out: ConsoleTarget }): Promise<number> {
  const { cwd, out } = options;
  const runsDir = runsDirectoryOf(cwd);
  const found = existsSync(runsDir) ? await lastRun(runsDir) : undefined;
  if (found === undefined) {
    out.write(
      `3pio last: no finished run in ${consoleText(relative(cwd, runsDir) || runsDir, Number.POSITIVE_INFINITY)}. Run your tests through 3pio first, e.g. 3pio npm test.\n`,
    );
    return EXIT_USAGE;
  }
  const runDir = join(runsDir, found.runId);
  const info = runInfoOf(found.record);
  const state = new RunState(cwd);
  const feed = await followEvents(
    join(runDir, 'ipc.jsonl'),
    {},
    (event) => state.apply(event),
    () => undefined,
  );
  await feed.drain();
  state.finalize(found.record.incompleteReason);
  // Only for the paths of the run's reports: this writer never writes.
  const writer = new ReportWriter(runDir, state, () => info);
  const reporter = new ConsoleReporter(out, state, cwd, (file) => writer.reportPath(file));
  const finishedAt = info.finishedAt ?? info.startedAt;
  out.write(
    `3pio last: ${consoleText(info.command)}\nRun directory: ${consoleText(relative(cwd, runDir), Number.POSITIVE_INFINITY)} (finished ${finishedAt.toISOString()})\n`,
  );
  reporter.summary(info.status, finishedAt.getTime() - info.startedAt.getTime(), writer.runReportPath, info.note);
  return info.exitCode ?? (info.status === 'PASSED' || info.status === 'NO TESTS' ? 0 : 1);
}
