/**
 * `3pio merge <source…>`: the runs of several sessions (shards of one suite on several
 * machines, the packages an Nx agent ran, a job's retry) as one run directory: one event
 * file holding every source's events (merge-sources.ts, rebase-events.ts), and from it,
 * as for any run, the summary, every file's report and junit.xml. Totals, status and exit
 * code are the whole's; a source that cannot be used is refused, the others merged, and
 * the exit code is then 2.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { ConsoleTarget } from '../console/console-reporter.js';
import { UsageError } from '../errors.js';
import type { RunState } from '../model/run-state.js';
import { displayPath } from '../reports/report-path.js';
import { EXIT_USAGE } from '../run/exit-codes.js';
import { closeRunDirectory, createRunDirectory } from '../run/run-directory.js';
import { RunSession } from '../run/run-session.js';
import { plural } from '../text.js';
import { readSource, type ReadSource, type RefusedSource } from './merge-sources.js';
import type { MergedLine } from './rebase-events.js';

export interface MergeOptions {
  cwd: string;
  out: ConsoleTarget;
  keepRuns: number;
  junit?: string;
  label?: string;
}

/** Test files named in the summary; past this they are counted. */
const NAMED_OVERLAPS = 10;

async function writeLines(path: string, sources: ReadSource[]): Promise<void> {
  const stream = createWriteStream(path, { mode: 0o600, flags: 'wx' });
  for (const source of sources) {
    for (const line of source.lines) if (!stream.write(`${JSON.stringify(line satisfies MergedLine)}\n`)) await once(stream, 'drain');
  }
  stream.end();
  await once(stream, 'finish');
}

/**
 * Test files that more than one source ran with the same runner: overlapping shards, a job
 * that ran twice. Each source's results stay apart.
 */
function overlapNote(state: RunState): string | undefined {
  const sourcesOf = new Map<string, { path: string; sources: Set<string> }>();
  for (const file of state.files.values()) {
    const source = file.run.id.slice(0, file.run.id.indexOf('.'));
    const key = JSON.stringify([file.run.runner ?? null, file.filePath]);
    const entry = sourcesOf.get(key) ?? { path: file.filePath, sources: new Set<string>() };
    entry.sources.add(source);
    sourcesOf.set(key, entry);
  }
  const shared = [...sourcesOf.values()].filter(({ sources }) => sources.size > 1).map(({ path }) => displayPath(path, state.projectRoot));
  if (shared.length === 0) return undefined;
  const named = `${shared.slice(0, NAMED_OVERLAPS).join(', ')}${shared.length > NAMED_OVERLAPS ? ` and ${shared.length - NAMED_OVERLAPS} more` : ''}`;
  return `${plural(shared.length, 'test file')} reported by more than one source (overlapping shards, or a job run twice): each source's results are kept apart, not merged into one verdict: ${named}.`;
}

function refusedNote(refused: RefusedSource[]): string {
  return `${plural(refused.length, 'source')} refused: ${refused.map(({ given, reason }) => `${given} (${reason})`).join('; ')}.`;
}

export async function merge(sources: string[], options: MergeOptions): Promise<number> {
  const { cwd, out } = options;
  const usable: ReadSource[] = [];
  const refused: RefusedSource[] = [];
  for (const [index, given] of sources.entries()) {
    const source = await readSource(given, index + 1, { cwd, mergeRoot: cwd });
    if ('reason' in source) {
      refused.push(source);
      out.write(`3pio merge: refused ${given}: ${source.reason}.\n`);
    } else {
      usable.push(source);
    }
  }
  if (usable.length === 0) throw new UsageError(`Nothing to merge: ${refusedNote(refused)}`);

  // Made only now: a merge with nothing usable leaves no run directory behind.
  const runDir = await createRunDirectory(cwd);
  await writeLines(runDir.ipcPath, usable);
  const session = new RunSession({
    runDir: runDir.path,
    ipcPath: runDir.ipcPath,
    projectRoot: cwd,
    cwd,
    command: `3pio merge ${sources.join(' ')}`,
    out,
    ...(options.junit === undefined ? {} : { junitCopy: options.junit }),
    ...(options.label === undefined ? {} : { label: options.label }),
  });
  await session.header(`merge of ${plural(usable.length, 'source')}`);
  await session.start();
  await session.drain();
  const notes = [overlapNote(session.state), refused.length > 0 ? refusedNote(refused) : undefined].filter((note) => note !== undefined);
  const status = await session.finish({
    incompleteReason: 'its source ends before this file finished',
    ...(notes.length > 0 ? { note: notes.join(' ') } : {}),
  });
  await closeRunDirectory(runDir, { keepRuns: options.keepRuns, log: session.log });
  if (session.failure !== undefined) return session.exitCode ?? 125;
  if (refused.length > 0) return EXIT_USAGE;
  return status === 'PASSED' ? 0 : 1;
}
