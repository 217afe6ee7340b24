/**
 * `3pio <command>` inside a command that 3pio already runs (a script that calls
 * `3pio npm test`, an `npm run ci` that does): the outer session's preload already
 * reaches every runner this command starts, so this 3pio only runs the command, in the
 * outer one's output, and exits as it does. Each test is reported once, by the outer session.
 */
import { spawn } from 'node:child_process';
import { resolveProgram } from '../command/program.js';
import { EXIT_NOT_STARTED, exitCodeFor } from './exit-codes.js';

export function runInsideSession(argv: string[], cwd: string): Promise<number> {
  const [program = '', ...args] = argv;
  return new Promise((resolve) => {
    // Same process group: the outer 3pio's signals reach this command as they reach this process.
    const child = spawn(resolveProgram(program, cwd), args, { cwd, stdio: 'inherit' });
    child.once('error', () => resolve(EXIT_NOT_STARTED));
    child.once('exit', (code, signal) => resolve(exitCodeFor({ code, signal })));
  });
}
