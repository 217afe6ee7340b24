/**
 * What the last finished run of a command left failing, in the project's `.3pio/runs`:
 * the newest run with a session record (session-record.ts) for the same command, its
 * events read into a RunState, its failing files and tests made into a NarrowPlan.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isRunId } from '@3pio/ipc/paths';
import { RunState, type FileRecord } from '../model/run-state.js';
import { followEvents } from '../run/event-feed.js';
import type { RunStatus } from '../reports/run-report.js';
import { readSessionRecord } from '../run/session-record.js';
import { NARROW_PLAN_VERSION, type NarrowedFile, type NarrowPlan } from './narrow-plan.js';

export interface LastFailures {
  runId: string;
  /** How that session ended: a run that failed with no failing file named (its runner never started) cannot be narrowed. */
  status: RunStatus;
  plan: NarrowPlan;
  failedFiles: number;
  failedTests: number;
}

/** The newest finished run of `command` in `runsDir`; undefined when there is none. */
async function lastRunOf(runsDir: string, command: string): Promise<{ runId: string; status: RunStatus } | undefined> {
  const names = (await readdir(runsDir).catch(() => [])).filter(isRunId).sort().reverse();
  for (const runId of names) {
    const record = await readSessionRecord(join(runsDir, runId));
    if (record?.command === command) return { runId, status: record.status };
  }
  return undefined;
}

/** The file again, whole or only its failing tests; undefined when nothing of it failed. */
function narrowedFile(file: FileRecord): NarrowedFile | undefined {
  if (file.status !== 'FAIL' && file.status !== 'INCOMPLETE') return undefined;
  const failing = [...file.tests.values()].filter((test) => test.status === 'FAIL');
  // A file error (it did not load, a hook failed) or a file cut short: its other tests are in doubt too.
  if (file.error !== undefined || file.status === 'INCOMPLETE' || failing.length === 0) return { path: file.filePath };
  return { path: file.filePath, tests: failing.map((test) => [...test.ancestorTitles, test.name]) };
}

export async function lastFailures(runsDir: string, command: string, projectRoot: string): Promise<LastFailures | undefined> {
  const last = await lastRunOf(runsDir, command);
  if (last === undefined) return undefined;
  const { runId, status } = last;
  const state = new RunState(projectRoot);
  const feed = await followEvents(
    join(runsDir, runId, 'ipc.jsonl'),
    {},
    (event) => state.apply(event),
    () => undefined,
  );
  await feed.drain();
  state.finalize('the run ended first');
  const plan: NarrowPlan = { version: NARROW_PLAN_VERSION, fromRun: runId, runs: [] };
  let failedFiles = 0;
  let failedTests = 0;
  for (const run of state.runs.values()) {
    const runner = run.runner;
    if (runner === undefined) continue;
    const files: NarrowedFile[] = [];
    for (const file of run.files) {
      const narrowed = narrowedFile(file);
      if (narrowed === undefined) continue;
      // One path run by two projects of the run: once is enough, whole if either needs it whole.
      const known = files.find((other) => other.path === narrowed.path);
      if (known === undefined) files.push(narrowed);
      else if (known.tests === undefined || narrowed.tests === undefined) delete known.tests;
      else known.tests.push(...narrowed.tests);
      failedFiles += 1;
      failedTests += file.counts.failed;
    }
    if (files.length > 0) plan.runs.push({ runner, root: run.root(projectRoot), files });
  }
  return { runId, status, plan, failedFiles, failedTests };
}
