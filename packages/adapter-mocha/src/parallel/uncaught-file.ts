/**
 * In parallel mode a file that fails to load (syntax error, a require that throws, a
 * throw in a describe body) reaches the main process only as "Uncaught error outside
 * test suite", with no file (§3.3). Find the file it belongs to.
 */
import { realpathSync } from 'node:fs';
import { relative } from 'node:path';

/** How an error may name the file: Mocha's filtered stacks use paths relative to the working directory. */
function spellings(file: string): string[] {
  let real = file;
  try {
    real = realpathSync(file);
  } catch {
    // Keep the path as given.
  }
  return [...new Set([file, real, relative(process.cwd(), file)])];
}

/**
 * `candidates`: files that neither reported a result nor were matched yet, in Mocha's
 * order. A file named in the error (a stack frame, a require stack) wins. Otherwise
 * Mocha reports these errors in file order after every file ended, one per file that
 * failed to run, so the first candidate is the one, unless `--bail` stopped files early.
 */
export function fileOfUncaughtError(error: unknown, candidates: readonly string[], bail: boolean): string | undefined {
  const e = (typeof error === 'object' && error !== null ? error : {}) as { message?: unknown; stack?: unknown };
  const text = `${String(e.message ?? error)}\n${typeof e.stack === 'string' ? e.stack : ''}`;
  const named = candidates.find((file) => spellings(file).some((spelling) => text.includes(spelling)));
  return named ?? (bail ? undefined : candidates[0]);
}
