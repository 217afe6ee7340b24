/**
 * `3pio <command…>`: runs the user's command as given, with the session in its
 * environment (NODE_OPTIONS gets 3pio's preload, which registers the adapter inside every
 * Jest, Vitest or Mocha process the command starts, however it starts them), and turns
 * what the runs report into console lines and reports. The session ends when the command
 * exits. Resolves with the exit code 3pio should exit with: the command's.
 */
import { join } from 'node:path';
import type { ConsoleTarget } from '../console/console-reporter.js';
import { resolveProgram } from '../command/program.js';
import { shownCommand } from '../command/shown-command.js';
import { sessionEnvironment, writeSessionPreload } from '../preload/session-env.js';
import { startCommand } from './command-process.js';
import { cacheReplayNote } from './cache-replay.js';
import { UNSUPPORTED_OUTPUT_HEADING, unsupportedNote, unsupportedRuns } from './unsupported-runs.js';
import { closeRunDirectory, createRunDirectory } from './run-directory.js';
import { writeNarrowPlan } from '../narrow/narrow-plan-file.js';
import type { LastFailures } from '../narrow/last-failures.js';
import { readTail, stripAnsiFromFile } from './output-log-stream.js';
import type { RunSession } from './run-session.js';
import { EXIT_INTERNAL, EXIT_NOT_STARTED, exitCodeFor, SIGNAL_NUMBERS } from './exit-codes.js';

export interface RunOptions {
  cwd: string;
  out: ConsoleTarget;
  /** How long a command may take to stop after Ctrl-C / SIGTERM before it is killed. */
  killAfterMs?: number;
  /** How many runs `.3pio/runs` keeps once this one finished (0: all). */
  keepRuns: number;
  /** `--junit <path>`: a copy of junit.xml there (absolute, checked writable). */
  junit?: string;
  /** `--failed`: the failures of the last run, which this run runs again (narrow/). */
  narrow?: LastFailures;
  /** `--label` / THREEPIO_LABEL: what the session is called. */
  label?: string;
}

/** The end of the command's output shown when it failed before any run; task runners' cache summaries are there too. */
const OUTPUT_TAIL_LINES = 40;
/** The signals that end a session early: forwarded to the command, then the reports are written. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

const PRELOAD_MODULE = join(__dirname, '..', 'preload', 'index.js');

async function outputTail(path: string): Promise<string> {
  const text = await readTail(path);
  return text.trimEnd().split('\n').slice(-OUTPUT_TAIL_LINES).join('\n');
}

export async function runTests(argv: string[], options: RunOptions): Promise<number> {
  const { cwd, out } = options;
  const [program = '', ...args] = argv;
  const runDir = await createRunDirectory(cwd);
  const preloadPath = writeSessionPreload(runDir.path, runDir.ipcPath, PRELOAD_MODULE);
  // Beside the preload, which each runner process reads it from.
  if (options.narrow !== undefined) writeNarrowPlan(runDir.path, options.narrow.plan);
  const env = {
    ...sessionEnvironment(process.env, { ipcPath: runDir.ipcPath, preloadPath }),
    NO_COLOR: '1',
    FORCE_COLOR: '0',
  };
  // The command first: every millisecond before it starts is added to the run. The IPC file keeps its events until they are read.
  const command = startCommand(resolveProgram(program, cwd), args, cwd, env, runDir.outputLog);

  // From the moment the command exists, Ctrl-C, SIGTERM and SIGHUP are for it, then for the reports.
  let interruptedBy: NodeJS.Signals | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    interruptedBy ??= signal;
    command.signalTree(signal);
    killTimer ??= setTimeout(() => command.signalTree('SIGKILL'), options.killAfterMs ?? 10_000);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  const commandExited = async () => {
    const exit = await command.exited;
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
    clearTimeout(killTimer);
    return exit;
  };

  const shown = shownCommand(argv);
  let session: RunSession;
  try {
    // Loaded now, while the command starts on the other core: the session, the reports, the console.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
    const { RunSession: Session } = require('./run-session.js') as typeof import('./run-session.js');
    session = new Session({
      runDir: runDir.path,
      ipcPath: runDir.ipcPath,
      projectRoot: cwd,
      cwd,
      command: shown,
      out,
      ...(options.junit === undefined ? {} : { junitCopy: options.junit }),
      ...(options.narrow === undefined ? {} : { narrowedFrom: options.narrow }),
      ...(options.label === undefined ? {} : { label: options.label }),
    });
    await session.header(shown);
    await session.start();
  } catch (error) {
    // 3pio cannot follow this command: it must not go on without it.
    command.signalTree('SIGKILL');
    await commandExited();
    throw error;
  }
  /** Waits for the command, reads the last events, writes the final reports; the command's exit code. */
  const followToTheEnd = async (): Promise<number> => {
    const exit = await commandExited();
    // Processes the command left behind must not outlive an interrupted or killed run.
    if (interruptedBy !== undefined || exit.signal !== null) command.signalTree('SIGKILL');
    command.release();
    await stripAnsiFromFile(runDir.outputLog);

    await session.drain();

    if (interruptedBy !== undefined) {
      const exitCode = 128 + SIGNAL_NUMBERS[interruptedBy];
      await session.finish({ status: 'INTERRUPTED', incompleteReason: `the run was interrupted (${interruptedBy})`, exitCode });
      return exitCode;
    }
    if (exit.spawnError !== undefined) {
      await session.finish({
        status: 'ERROR',
        incompleteReason: 'the command could not be started',
        note: `Could not start ${program}: ${exit.spawnError.message}`,
      });
      return EXIT_NOT_STARTED;
    }
    const exitCode = exitCodeFor(exit);
    const ended =
      exit.signal !== null
        ? `the command was killed by ${exit.signal}`
        : `the command exited with code ${exit.code ?? 'unknown'} before it finished`;
    // Runs of runners too old for 3pio: their tests ran, with the runner's own output only.
    const unsupported = unsupportedRuns(session.state);
    const unsupportedText = unsupportedNote(unsupported);
    if (session.state.runs.size === unsupported.length) {
      const tail = await outputTail(runDir.outputLog);
      const cached = cacheReplayNote(tail);
      if (unsupportedText !== undefined) session.console.commandOutput(tail, UNSUPPORTED_OUTPUT_HEADING);
      else if (exitCode !== 0) session.console.commandOutput(tail);
      await session.finish({
        status: exitCode === 0 ? 'NO TESTS' : unsupportedText !== undefined ? 'FAILED' : 'ERROR',
        incompleteReason: ended,
        note: [
          unsupportedText ??
            (exitCode === 0
              ? `No Jest, Vitest or Mocha run was reported: \`${shown}\` ran no test runner that 3pio can see.`
              : `The command failed (exit code ${exitCode}) before any test runner reported a run; see output.log.`),
          ...(cached === undefined ? [] : [cached]),
        ].join(' '),
        exitCode,
      });
      return exitCode;
    }
    const cached = cacheReplayNote(await outputTail(runDir.outputLog));
    const note = [unsupportedText, cached].filter((text) => text !== undefined).join(' ');
    await session.finish({
      ...(exit.signal !== null ? { status: 'ERROR' as const } : {}),
      incompleteReason: ended,
      ...(note === '' ? {} : { note }),
      exitCode,
    });
    return exitCode;
  };

  // 3pio failing anywhere from here on (a bug in a timer, say) still ends with the reports and
  // the summary, marked ERROR, and exit 125; the command, which 3pio can no longer follow, is stopped.
  const onCrash = (error: unknown) => {
    session.fail(error);
    onSignal('SIGTERM');
  };
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  try {
    const exitCode = await followToTheEnd();
    await closeRunDirectory(runDir, { keepRuns: options.keepRuns, log: session.log });
    return session.failure === undefined ? (session.exitCode ?? exitCode) : EXIT_INTERNAL;
  } finally {
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  }
}
