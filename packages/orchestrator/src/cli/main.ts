#!/usr/bin/env node
/** The `3pio` command. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ThreepioDirectoryError } from '@3pio/ipc/paths';
import type { ConsoleTarget } from '../console/console-reporter.js';
import { UsageError } from '../errors.js';
import { currentSession } from '../preload/index.js';
import { runInsideSession } from '../run/nested-session.js';
import { runTests } from '../run/run-tests.js';
import { EXIT_INTERNAL, EXIT_USAGE } from '../run/exit-codes.js';
import { parseArgs, type CliOptions } from './args.js';
import { keepRunsSetting, KEEP_RUNS_ENV } from '../run/prune-runs.js';
import { JunitPathError, prepareJunitTarget } from '../reports/junit-file.js';
import { consoleStream } from './console-stream.js';
import { shownCommand } from '../command/shown-command.js';
import { consoleText } from '../console/console-text.js';
import type { LastFailures } from '../narrow/last-failures.js';
import { runsDirectoryOf } from '../run/run-directory.js';
import { HELP } from './help.js';

/** Names the session ("shard 2/4") when --label does not. */
const LABEL_ENV = 'THREEPIO_LABEL';

function version(): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
}

/** THREEPIO_KILL_AFTER_MS: how long a runner may take to stop after Ctrl-C before it is killed (default 10 s). */
function killAfter(): { killAfterMs?: number } {
  const value = Number(process.env.THREEPIO_KILL_AFTER_MS);
  return Number.isFinite(value) && value > 0 ? { killAfterMs: value } : {};
}

/** THREEPIO_KEEP_RUNS: how many runs `.3pio/runs` keeps; a value 3pio cannot use is warned about, and the default used. */
function keepRuns(err: ConsoleTarget): { keepRuns: number } {
  const { keep, warning } = keepRunsSetting(process.env[KEEP_RUNS_ENV]);
  if (warning !== undefined) err.write(`3pio: warning: ${warning}\n`);
  return { keepRuns: keep };
}

/** `--label`, else THREEPIO_LABEL: what the session is called. */
function labelOf(options: CliOptions): { label?: string } {
  const label = options.label ?? process.env[LABEL_ENV];
  return label === undefined || label.trim() === '' ? {} : { label };
}

/** `--junit`: the path made absolute (relative to where 3pio was started) and checked writable before anything runs. */
async function junitTarget(options: CliOptions): Promise<{ junit?: string }> {
  if (options.junit === undefined) return {};
  const junit = resolve(process.cwd(), options.junit);
  await prepareJunitTarget(junit);
  return { junit };
}

/**
 * `--failed`: what the last run of the command left failing, for runTests to narrow the run
 * to; 'nothing to run' when there is nothing (said on the console), unless `all-if-none`.
 */
async function narrowedRun(
  command: string[],
  mode: 'only' | 'all-if-none',
  out: ConsoleTarget,
): Promise<{ narrow?: LastFailures } | 'nothing to run'> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- only --failed needs it
  const { lastFailures } = require('../narrow/last-failures.js') as typeof import('../narrow/last-failures.js');
  const cwd = process.cwd();
  const shown = shownCommand(command);
  const last = await lastFailures(runsDirectoryOf(cwd), shown, cwd);
  if (last !== undefined && last.plan.runs.length > 0) return { narrow: last };
  if (last !== undefined && last.status !== 'PASSED' && last.status !== 'NO TESTS') {
    // It failed, but no test file did (the runner stopped before any ran): nothing to narrow it to.
    out.write(
      `3pio --failed: the last run of \`${consoleText(shown)}\` (.3pio/runs/${last.runId}) ended ${last.status} without a failing test file to run again: running the whole command.\n`,
    );
    return {};
  }
  const why =
    last === undefined
      ? `there is no finished run of \`${consoleText(shown)}\` in .3pio/runs to take failures from`
      : `nothing failed in the last run of \`${consoleText(shown)}\` (.3pio/runs/${last.runId})`;
  if (mode === 'all-if-none') {
    out.write(`3pio --failed: ${why}: running the whole command.\n`);
    return {};
  }
  out.write(
    `3pio --failed: ${why}, so there is nothing to run again. Run the whole command with 3pio ${consoleText(shown)}, or use --failed=all-if-none.\n`,
  );
  return 'nothing to run';
}

async function main(argv: string[]): Promise<number> {
  const out = consoleStream(process.stdout);
  const err = consoleStream(process.stderr);
  try {
    const request = parseArgs(argv);
    switch (request.kind) {
      case 'help':
        out.write(HELP);
        return 0;
      case 'version':
        out.write(`${version()}\n`);
        return 0;
      case 'replay': {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- only this command needs it; `3pio <tests>` starts the runner sooner without it
        const { replay } = require('../run/replay.js') as typeof import('../run/replay.js');
        return await replay(request.file, { cwd: process.cwd(), out, ...keepRuns(err), ...(await junitTarget(request.options)) });
      }
      case 'merge': {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- only this command needs it, as replay above
        const { merge } = require('../merge/merge.js') as typeof import('../merge/merge.js');
        return await merge(request.sources, {
          cwd: process.cwd(),
          out,
          ...keepRuns(err),
          ...(await junitTarget(request.options)),
          ...labelOf(request.options),
        });
      }
      case 'pack': {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- only this command needs it, as replay above
        const { pack } = require('../archive/pack-command.js') as typeof import('../archive/pack-command.js');
        return await pack(request, { cwd: process.cwd(), out, err });
      }
      case 'last': {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- only this command needs it, as replay above
        const { showLastRun } = require('../run/last-run.js') as typeof import('../run/last-run.js');
        return await showLastRun({ cwd: process.cwd(), out });
      }
      case 'run': {
        if (currentSession() !== undefined) return await runInsideSession(request.command, process.cwd());
        const narrowed = request.options.failed === undefined ? {} : await narrowedRun(request.command, request.options.failed, out);
        if (narrowed === 'nothing to run') return 0;
        return await runTests(request.command, {
          cwd: process.cwd(),
          out,
          ...killAfter(),
          ...keepRuns(err),
          ...(await junitTarget(request.options)),
          ...narrowed,
          ...labelOf(request.options),
        });
      }
    }
  } catch (error) {
    if (error instanceof UsageError) {
      err.write(`3pio: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof ThreepioDirectoryError || error instanceof JunitPathError) {
      err.write(`3pio: ${error.message}\n`);
      return EXIT_INTERNAL;
    }
    err.write(`3pio failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_INTERNAL;
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
