/**
 * The runner as a child process: in its own process group, so that a signal reaches
 * every worker it started; its stdout and stderr going to `output.log` instead of the
 * console, without colour.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { ExecutionPlan } from '../command/plan.js';
import { ansiStripper } from './output-log-stream.js';

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
  const log = createWriteStream(outputLog, { mode: 0o600 });
  const child = spawn(plan.file, plan.args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const toLog = ansiStripper();
  toLog.pipe(log);
  // Both streams into one log, in arrival order, ending the log once both have ended.
  let open = 2;
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (data: Buffer) => toLog.write(data));
    stream.on('end', () => {
      open -= 1;
      if (open === 0) toLog.end();
    });
  }
  const exited = new Promise<RunnerExit>((resolve) => {
    child.once('error', (spawnError) => {
      toLog.end();
      resolve({ code: null, signal: null, spawnError });
    });
    child.once('close', (code, signal) => resolve({ code, signal }));
  }).then(async (exit) => {
    await finished(log).catch(() => undefined);
    return exit;
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
