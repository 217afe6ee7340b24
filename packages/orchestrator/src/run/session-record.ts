/**
 * `session.json` in the run directory: how the session ended, for 3pio itself to read
 * back (`3pio last`), written once the session is over: its presence says the run
 * finished and its reports are final. test-run.md says the same for people.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunInfo, RunStatus } from '../reports/run-report.js';
import { writeStreamed } from '../reports/temporary-file.js';

export const SESSION_RECORD = 'session.json';
const VERSION = 1;

export interface SessionRecord {
  version: number;
  command: string;
  startedAt: string;
  finishedAt: string;
  status: RunStatus;
  exitCode?: number;
  note?: string;
  /** Why files that never finished did not (they are rebuilt from the events as still running). */
  incompleteReason: string;
  /** Where 3pio ran: the runs' paths are relative to it on another machine (`3pio merge`). */
  projectRoot?: string;
  label?: string;
}

export async function writeSessionRecord(runDir: string, info: RunInfo, incompleteReason: string, projectRoot: string): Promise<void> {
  const record: SessionRecord = {
    version: VERSION,
    projectRoot,
    ...(info.label === undefined ? {} : { label: info.label }),
    command: info.command,
    startedAt: info.startedAt.toISOString(),
    finishedAt: (info.finishedAt ?? new Date()).toISOString(),
    status: info.status,
    ...(info.exitCode === undefined ? {} : { exitCode: info.exitCode }),
    ...(info.note === undefined ? {} : { note: info.note }),
    incompleteReason,
  };
  await writeStreamed(join(runDir, SESSION_RECORD), [`${JSON.stringify(record, null, 2)}\n`]);
}

function isRecord(value: unknown): value is SessionRecord {
  const record = value as Partial<SessionRecord> | null;
  return (
    typeof record === 'object' &&
    record !== null &&
    record.version === VERSION &&
    typeof record.command === 'string' &&
    typeof record.startedAt === 'string' &&
    typeof record.finishedAt === 'string' &&
    typeof record.status === 'string' &&
    typeof record.incompleteReason === 'string'
  );
}

/** The record of a finished session; undefined when there is none (still running, crashed, or made by an older 3pio). */
export async function readSessionRecord(runDir: string): Promise<SessionRecord | undefined> {
  try {
    const value: unknown = JSON.parse(await readFile(join(runDir, SESSION_RECORD), 'utf8'));
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The session's RunInfo again, from its record. */
export function runInfoOf(record: SessionRecord): RunInfo {
  return {
    command: record.command,
    startedAt: new Date(record.startedAt),
    finishedAt: new Date(record.finishedAt),
    status: record.status,
    ...(record.exitCode === undefined ? {} : { exitCode: record.exitCode }),
    ...(record.note === undefined ? {} : { note: record.note }),
    ...(record.label === undefined ? {} : { label: record.label }),
  };
}
