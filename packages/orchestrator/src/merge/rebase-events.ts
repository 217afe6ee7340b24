/**
 * One source's events made ready for a merged event file: every event kept, its run
 * named after the source (`<source>.<run>`, so runs of different machines never share an
 * ID, and events written before runs had IDs get the run PROTOCOL.md gives them), and
 * its paths moved from the machine it ran on to the merging project: a path under the
 * source's project root becomes the same path under the merge's root, so that one test
 * file of two shards in `/home/runner/work/app` and `/builds/app` is one file.
 */
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { IpcEvent } from '@3pio/ipc';

export interface SourceInfo {
  /** 1 for the first source, 2 for the next…: the prefix of its run IDs. */
  index: number;
  /** Where the source's session ran: its runs' paths are relative to it. */
  root: string;
  label?: string;
}

/** A merged event as written: a known event, or an unknown one in the shape it was read from. */
export type MergedLine = Record<string, unknown>;

/** `path` (absolute, of the source's machine) moved under `mergeRoot`; left as it is when it is outside the source's root. */
function rebased(path: string, sourceRoot: string, mergeRoot: string): string {
  const rel = relative(sourceRoot, path);
  if (rel === '') return mergeRoot;
  return rel.startsWith('..') || isAbsolute(rel) ? path : join(mergeRoot, rel);
}

export function rebaseEvents(events: Iterable<IpcEvent>, source: SourceInfo, mergeRoot: string): MergedLine[] {
  const runRoots = new Map<string, string>();
  let legacy = `legacy-0`;
  let legacyRuns = 0;
  const lines: MergedLine[] = [];
  for (const event of events) {
    if (event.eventType === 'runStart' && event.run === undefined) legacy = `legacy-${(legacyRuns += 1)}`;
    const ownRun = event.run ?? legacy;
    const run = `${source.index}.${ownRun}`;
    const envelope = event.timestamp === undefined ? { run } : { run, timestamp: event.timestamp };
    if (event.eventType === 'unknown') {
      lines.push({ eventType: event.originalEventType, ...envelope, payload: event.payload });
      continue;
    }
    if (event.eventType === 'runStart') {
      const payload = { ...event.payload };
      const root = payload.root ?? payload.cwd ?? source.root;
      runRoots.set(ownRun, root);
      if (payload.root !== undefined) payload.root = rebased(payload.root, source.root, mergeRoot);
      if (payload.cwd !== undefined) payload.cwd = rebased(payload.cwd, source.root, mergeRoot);
      if (source.label !== undefined) payload.label = source.label;
      lines.push({ eventType: event.eventType, ...envelope, payload });
      continue;
    }
    const payload: Record<string, unknown> = { ...event.payload };
    if (typeof payload.filePath === 'string') {
      const runRoot = runRoots.get(ownRun) ?? source.root;
      payload.filePath = rebased(resolve(runRoot, payload.filePath), source.root, mergeRoot);
    }
    lines.push({ eventType: event.eventType, ...envelope, payload });
  }
  return lines;
}
