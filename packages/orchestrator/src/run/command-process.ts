/**
 * The user's command as a child process: in its own process group, so that a signal
 * reaches everything it started (package managers, task runners, runners and their
 * workers); its stdout and stderr going straight into `output.log` instead of the
 * console. Straight, not through a pipe to 3pio: a runner like Mocha writes thousands of
 * lines a second, and reading them costs 3pio CPU that the runner needs on a small
 * machine. The colour escapes some runners write despite NO_COLOR are removed once the
 * run is over (stripAnsiFromFile).
 *
 * Its lifetime is tied to 3pio's by a guardian: a tiny shell, in a process group of its
 * own, that waits on a pipe from 3pio. When 3pio ends normally it says so on the pipe; when
 * it dies in any other way (SIGKILL, a crash, its terminal gone) the pipe just closes, and
 * the guardian stops the command's process group: SIGTERM, then SIGKILL a second later.
 * POSIX only (sh, process groups); on Windows the command is not guarded.
 */
import { spawn, type ChildProcess, type ChildProcessByStdio } from 'node:child_process';
import type { Writable } from 'node:stream';
import { closeSync, openSync } from 'node:fs';

export interface CommandExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (e.g. the command does not exist). */
  spawnError?: Error;
}

export interface CommandProcess {
  pid: number | undefined;
  exited: Promise<CommandExit>;
  /** Sends `signal` to the command and everything it started. */
  signalTree(signal: NodeJS.Signals): void;
  /** 3pio is done with the command (it exited, and 3pio ends normally): the guardian leaves it alone. */
  release(): void;
}

// `kill -SIG -<pgid>` signals the group (dash, the Debian sh, takes no `--` before it).
const GUARDIAN = 'read -r line; [ "$line" = done ] && exit 0; kill -TERM "-$1" 2>/dev/null; sleep 1; kill -KILL "-$1" 2>/dev/null';

function startGuardian(pgid: number): ChildProcessByStdio<Writable, null, null> | undefined {
  if (process.platform === 'win32') return undefined;
  try {
    const guardian = spawn('/bin/sh', ['-c', GUARDIAN, 'guardian', String(pgid)], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    guardian.on('error', () => undefined);
    guardian.stdin.on('error', () => undefined);
    // Neither the guardian nor its pipe may keep 3pio running.
    guardian.unref();
    (guardian.stdin as unknown as { unref(): void }).unref();
    return guardian;
  } catch {
    return undefined;
  }
}

export function startCommand(
  file: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  outputLog: string,
): CommandProcess {
  // O_APPEND, shared by both streams: their lines land in the order they were written, and children that inherit them append too.
  const log = openSync(outputLog, 'a', 0o600);
  let child: ChildProcess;
  try {
    child = spawn(file, args, { cwd, env, detached: true, stdio: ['ignore', log, log] });
  } finally {
    // The child has its own copies.
    closeSync(log);
  }
  const guardian = child.pid === undefined ? undefined : startGuardian(child.pid);
  const exited = new Promise<CommandExit>((resolve) => {
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
    release() {
      if (guardian === undefined) return;
      // Held until written: 3pio may be about to exit, and without the word the guardian would stop the group.
      (guardian.stdin as unknown as { ref(): void }).ref();
      guardian.stdin.end('done\n');
    },
  };
}
