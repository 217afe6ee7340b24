/**
 * The program of the user's command, as a shell would find it, with one convenience that
 * npx has too: a program that is not on PATH is looked for in `node_modules/.bin` from the
 * current directory up (`3pio jest` runs the project's Jest). The command is otherwise run
 * exactly as given; PATH itself is not changed for it.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function resolveProgram(program: string, cwd: string, path = process.env.PATH ?? ''): string {
  if (program.includes('/') || program.includes('\\')) return program;
  if (path.split(delimiter).some((dir) => dir !== '' && isExecutable(join(dir, program)))) return program;
  for (let dir = cwd; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', '.bin', program);
    if (isExecutable(candidate)) return candidate;
    if (dirname(dir) === dir) return program;
  }
}
