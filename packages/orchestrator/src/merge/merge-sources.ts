/**
 * What `3pio merge` reads: each source given on its command line (a run directory, an
 * event file, a run directory packed by `3pio pack`), read to its end and checked before anything is written. A source 3pio
 * cannot use whole (unreadable, empty, a line it cannot read: a truncated or garbage
 * file) is refused with the reason; the others still merge.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { IpcEvent } from '@3pio/ipc';
import { unpackArchive } from '../archive/index.js';
import { followEvents } from '../run/event-feed.js';
import { readSessionRecord } from '../run/session-record.js';
import { rebaseEvents, type MergedLine } from './rebase-events.js';

export interface ReadSource {
  given: string;
  label?: string;
  lines: MergedLine[];
  events: number;
}

export interface RefusedSource {
  given: string;
  reason: string;
}

/** The event file of `path` (a run directory or an event file), and the session record beside it, if any. */
async function locate(path: string): Promise<{ ipcPath: string; root?: string; label?: string }> {
  const isDir = statSync(path).isDirectory();
  const ipcPath = isDir ? join(path, 'ipc.jsonl') : path;
  if (!existsSync(ipcPath)) throw new Error(isDir ? 'it is a directory without ipc.jsonl: not a 3pio run directory' : 'no such file');
  const record = await readSessionRecord(isDir ? path : dirname(path));
  return {
    ipcPath,
    ...(record?.projectRoot === undefined ? {} : { root: record.projectRoot }),
    ...(record?.label === undefined ? {} : { label: record.label }),
  };
}

async function readEvents(ipcPath: string): Promise<{ events: IpcEvent[]; problems: number }> {
  const events: IpcEvent[] = [];
  let problems = 0;
  const feed = await followEvents(
    ipcPath,
    {},
    (event) => events.push(event),
    () => (problems += 1),
  );
  await feed.drain();
  return { events, problems };
}

/** Where the source's session ran: its record says; else the first runner's working directory; else the file's own. */
function sourceRoot(events: IpcEvent[], recorded: string | undefined, ipcPath: string): string {
  if (recorded !== undefined) return recorded;
  for (const event of events) if (event.eventType === 'runStart' && event.payload.cwd !== undefined) return event.payload.cwd;
  return dirname(ipcPath);
}

/** A pack (`3pio pack`) unpacked to a directory of its own, removed once the source is read. */
async function unpacked(tgz: string): Promise<{ runDir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), '3pio-merge-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    return { runDir: await unpackArchive(tgz, dir), remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

const PACK = /\.(tgz|tar\.gz)$/;

export async function readSource(
  given: string,
  index: number,
  options: { cwd: string; mergeRoot: string },
): Promise<ReadSource | RefusedSource> {
  const path = resolve(options.cwd, given);
  const pack = PACK.test(path) ? await unpacked(path).catch((error: unknown) => error as Error) : undefined;
  if (pack instanceof Error) return { given, reason: pack.message };
  try {
    const { ipcPath, root, label } = await locate(pack?.runDir ?? path);
    const { events, problems } = await readEvents(ipcPath);
    if (problems > 0)
      return {
        given,
        reason: `${problems === 1 ? 'a line' : `${problems} lines`} of its events cannot be read (a truncated or corrupt file)`,
      };
    if (events.length === 0) return { given, reason: 'it holds no event' };
    const info = { index, root: sourceRoot(events, root, ipcPath), ...(label === undefined ? {} : { label }) };
    return {
      given,
      ...(label === undefined ? {} : { label }),
      lines: rebaseEvents(events, info, options.mergeRoot),
      events: events.length,
    };
  } catch (error) {
    return { given, reason: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (error as Error).message };
  } finally {
    await pack?.remove();
  }
}
