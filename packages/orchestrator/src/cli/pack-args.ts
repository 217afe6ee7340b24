/** `3pio pack`'s own command line, after the word `pack`: kept apart so that args.ts stays small. */
import { UsageError } from '../errors.js';

export interface PackRequest {
  /** The run directory, as given; `.3pio/runs/latest` when none is. */
  runDir?: string;
  /** `--out <file>`: where the archive goes, as given; `<run id>.tgz` in the current directory otherwise. */
  out?: string;
}

const USAGE = 'Usage: 3pio pack [--out <file.tgz>] [run dir], e.g. 3pio pack .3pio/runs/latest.';

/** `words`: what follows `pack`; `before`: 3pio's options given before it, none of which apply. */
export function parsePackArgs(words: string[], before: object): PackRequest {
  const misplaced = Object.keys(before);
  if (misplaced.length > 0)
    throw new UsageError(
      `--${misplaced.join(', --')} ${misplaced.length > 1 ? 'are' : 'is'} for a run; 3pio pack takes only --out. ${USAGE}`,
    );
  const request: PackRequest = {};
  const given: string[] = [];
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index] ?? '';
    if (word === '--out' || word.startsWith('--out=')) {
      const out = word === '--out' ? words[(index += 1)] : word.slice('--out='.length);
      if (out === undefined || out === '') throw new UsageError(`--out needs a file, e.g. --out shard-1.tgz. ${USAGE}`);
      request.out = out;
    } else if (word.startsWith('-')) {
      throw new UsageError(`Unknown option ${word} for 3pio pack. ${USAGE}`);
    } else {
      given.push(word);
    }
  }
  if (given.length > 1) throw new UsageError(`3pio pack packs one run directory; ${given.length} were given. ${USAGE}`);
  if (given[0] !== undefined) request.runDir = given[0];
  return request;
}
