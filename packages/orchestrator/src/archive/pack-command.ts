/**
 * `3pio pack [--out <file>] [run dir]`: one `.tgz` of a finished run directory, for a CI
 * artifact that `3pio merge` reads on another machine. The run is `.3pio/runs/latest`
 * unless one is given; the archive is `<run id>.tgz` in the current directory unless
 * `--out` says where (missing directories are made; an archive already there is
 * replaced). Its path is all that goes to stdout, so a script can take it.
 */
import { existsSync } from 'node:fs';
import { mkdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { isRunId } from '@3pio/ipc/paths';
import type { ConsoleTarget } from '../console/console-reporter.js';
import { consoleText } from '../console/console-text.js';
import type { PackRequest } from '../cli/pack-args.js';
import { UsageError } from '../errors.js';
import { EXIT_INTERNAL } from '../run/exit-codes.js';
import { LATEST, readLatest } from '../run/latest-link.js';
import { runsDirectoryOf } from '../run/run-directory.js';
import { isRunInProgress } from '../run/run-marker.js';
import { SESSION_RECORD } from '../run/session-record.js';
import { ArchiveError } from './archive-error.js';
import { packRunDirectory } from './pack.js';

/** Files only 3pio writes in a run directory: one of them says a directory is a run's. */
const RUN_FILES = [SESSION_RECORD, 'test-run.md', 'ipc.jsonl'];
const GIVE_ONE = 'Give a run directory, e.g. 3pio pack .3pio/runs/<run id>.';

/** A path as the user would type it: relative to where 3pio was started when it is below it. */
function shown(cwd: string, path: string): string {
  const fromCwd = relative(cwd, path);
  return consoleText(fromCwd === '' || fromCwd.startsWith('..') || isAbsolute(fromCwd) ? path : fromCwd, Number.POSITIVE_INFINITY);
}

/** `.3pio/runs/latest` of `runsDir`, whether a link or a file naming the run. */
async function latestRun(runsDir: string, cwd: string): Promise<string> {
  const runId = await readLatest(runsDir);
  if (runId === undefined)
    throw new UsageError(
      `There is no finished run to pack: ${shown(cwd, join(runsDir, LATEST))} does not exist. Run your tests with 3pio first (e.g. 3pio npm test), or give the run directory: 3pio pack .3pio/runs/<run id>.`,
    );
  return join(runsDir, runId);
}

/** The run directory to pack, resolved and checked: a run of 3pio's, and over. */
async function runToPack(given: string | undefined, cwd: string, err: ConsoleTarget): Promise<string> {
  let path = given === undefined ? await latestRun(runsDirectoryOf(cwd), cwd) : resolve(cwd, given);
  const what = given ?? shown(cwd, path);
  try {
    path = await realpath(path);
    // `latest` as a file naming the run, where links cannot be made.
    if (basename(path) === LATEST && (await stat(path)).isFile()) path = await realpath(await latestRun(dirname(path), cwd));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`There is no run directory ${what} (${(error as NodeJS.ErrnoException).code ?? String(error)}). ${GIVE_ONE}`);
  }
  if (!(await stat(path)).isDirectory()) throw new UsageError(`${what} is a file, not a run directory. ${GIVE_ONE}`);
  if (!isRunId(basename(path)) || !RUN_FILES.some((file) => existsSync(join(path, file))))
    throw new UsageError(`${what} is not a 3pio run directory (one is named after its run ID and holds test-run.md). ${GIVE_ONE}`);
  if (isRunInProgress(path))
    throw new UsageError(
      `${what} is a run still in progress: pack it when its 3pio has finished, or pack the last finished run: 3pio pack.`,
    );
  if (!existsSync(join(path, SESSION_RECORD)))
    err.write(`3pio pack: note: ${what} has no ${SESSION_RECORD}: its 3pio stopped before the end, so its reports may not be final.\n`);
  return path;
}

export async function pack(request: PackRequest, options: { cwd: string; out: ConsoleTarget; err: ConsoleTarget }): Promise<number> {
  const { cwd } = options;
  const runDir = await runToPack(request.runDir, cwd, options.err);
  const outFile = resolve(cwd, request.out ?? `${basename(runDir)}.tgz`);
  try {
    await mkdir(dirname(outFile), { recursive: true, mode: 0o700 });
    await packRunDirectory(runDir, outFile);
  } catch (error) {
    if (error instanceof ArchiveError) throw new UsageError(error.message, { cause: error });
    options.err.write(`3pio: Cannot pack ${shown(cwd, runDir)} into ${shown(cwd, outFile)}: ${(error as Error).message}\n`);
    return EXIT_INTERNAL;
  }
  options.out.write(`${shown(cwd, outFile)}\n`);
  return 0;
}
