/**
 * `3pio <command…>`: runs the user's tests with the adapter injected and turns the
 * run into console lines and reports. Resolves with the exit code 3pio should exit with.
 */
import { readFile } from 'node:fs/promises';
import { IPC_PATH_ENV } from '@3pio/ipc/paths';
import { detectInvocation } from '../command/detect.js';
import { planExecution } from '../command/plan.js';
import type { ConsoleTarget } from '../console/console-reporter.js';
import { createRunDirectory } from './run-directory.js';
import { injectionFor } from './injection.js';
import { stripAnsiFromFile } from './output-log-stream.js';
import { startRunner } from './runner-process.js';
import type { RunSession } from './run-session.js';
import { EXIT_NOT_STARTED, exitCodeFor, SIGNAL_NUMBERS } from './exit-codes.js';

export interface RunOptions {
  cwd: string;
  out: ConsoleTarget;
  /** How long a runner may take to stop after Ctrl-C / SIGTERM before it is killed. */
  killAfterMs?: number;
}

const OUTPUT_TAIL_LINES = 40;

async function outputTail(path: string): Promise<string> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-OUTPUT_TAIL_LINES).join('\n');
}

export async function runTests(argv: string[], options: RunOptions): Promise<number> {
  const { cwd, out } = options;
  const invocation = detectInvocation(argv, cwd);
  const runDir = await createRunDirectory(cwd);
  const plan = planExecution(invocation, (runner, userArgs) => injectionFor(runner, userArgs, cwd, runDir.path), cwd);
  // The runner first: every millisecond before it starts is added to the run. The IPC file keeps its events until they are read.
  const env = { ...process.env, ...plan.env, [IPC_PATH_ENV]: runDir.ipcPath, NO_COLOR: '1', FORCE_COLOR: '0' };
  const runner = startRunner(plan, cwd, env, runDir.outputLog);

  // From the moment the runner exists, Ctrl-C and SIGTERM are for it, then for the reports.
  let interruptedBy: NodeJS.Signals | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    interruptedBy ??= signal;
    runner.signalTree(signal);
    killTimer ??= setTimeout(() => runner.signalTree('SIGKILL'), options.killAfterMs ?? 10_000);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const runnerExited = async () => {
    const exit = await runner.exited;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    clearTimeout(killTimer);
    return exit;
  };

  let session: RunSession;
  try {
    // Loaded now, while the runner starts on the other core: the session, the reports, the console.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
    const { RunSession: Session } = require('./run-session.js') as typeof import('./run-session.js');
    session = new Session({ runDir: runDir.path, ipcPath: runDir.ipcPath, projectRoot: cwd, cwd, command: argv.join(' '), out });
    await session.header(argv.join(' '), plan.notes);
    await session.start();
  } catch (error) {
    // 3pio cannot follow this run: the runner must not go on without it.
    runner.signalTree('SIGKILL');
    await runnerExited();
    throw error;
  }
  const exit = await runnerExited();
  // Workers the runner left behind must not outlive an interrupted or crashed run.
  if (interruptedBy !== undefined || exit.signal !== null) runner.signalTree('SIGKILL');
  await stripAnsiFromFile(runDir.outputLog);

  await session.drain();

  if (interruptedBy !== undefined) {
    await session.finish({
      status: 'INTERRUPTED',
      incompleteReason: `the run was interrupted (${interruptedBy})`,
      exitCode: 128 + SIGNAL_NUMBERS[interruptedBy],
    });
    return 128 + SIGNAL_NUMBERS[interruptedBy];
  }
  if (exit.spawnError !== undefined) {
    await session.finish({
      status: 'ERROR',
      incompleteReason: 'the runner could not be started',
      note: `Could not start ${plan.file}: ${exit.spawnError.message}`,
    });
    return EXIT_NOT_STARTED;
  }
  const exitCode = exitCodeFor(exit);
  const ended =
    exit.signal !== null
      ? `the runner was killed by ${exit.signal}`
      : `the runner exited with code ${exit.code ?? 'unknown'} before reporting it`;
  if (session.state.files.size === 0 && exitCode !== 0) {
    session.console.runnerOutput(await outputTail(runDir.outputLog));
    await session.finish({
      status: 'ERROR',
      incompleteReason: ended,
      note: `The runner failed before reporting any test (exit code ${exitCode}); see output.log.`,
      exitCode,
    });
    return exitCode;
  }
  await session.finish({ ...(exit.signal !== null ? { status: 'ERROR' as const } : {}), incompleteReason: ended, exitCode });
  return exitCode;
}
