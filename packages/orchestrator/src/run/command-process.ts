/**
 * The runner as a child process: in its own process group, so that a signal reaches
 * every worker it started; its stdout and stderr going straight into `output.log`
 * instead of the console. Straight, not through a pipe to 3pio: a runner like Mocha
 * writes thousands of lines a second, and reading them costs 3pio CPU that the runner
 * needs on a small machine (≈ 0.1 s on a 0.3 s Mocha run on 2 cores). The colour
 * escapes some runners write despite NO_COLOR are removed once the run is over
 * (stripAnsiFromFile).
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import type { ExecutionPlan } from '../command/plan.js';

export interface RunnerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (e.g. the command does not exist). */
  spawnError?: Error;
}

export interface RunnerProcess {
  pid: number | undefined;
  exited: Promise<RunnerExit>;
  /** Sends `signal` to the runner and everything it started. */
  signalTree(signal: NodeJS.Signals): void;
}

export function startRunner(plan: ExecutionPlan, cwd: string, env: NodeJS.ProcessEnv, outputLog: string): RunnerProcess {
  // O_APPEND, shared by both streams: their lines land in the order they were written, and workers that inherit them append too.
  const log = openSync(outputLog, 'a', 0o600);
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn(plan.file, plan.args, { cwd, env, detached: true, stdio: ['ignore', log, log] });
  } finally {
    // The child has its own copies.
    closeSync(log);
  }
  const exited = new Promise<RunnerExit>((resolve) => {
    child.once('error', (spawnError) => resolve({ code: null, signal: null, spawnError }));
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    pid: child.pid,
    exited,
    signalTree(signal) {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is already gone.
      }
    },
  };
}
