import { UsageError } from '../errors.js';
import { parsePackArgs, type PackRequest } from './pack-args.js';

/** 3pio's own options, given before the command. */
export interface CliOptions {
  /** `--junit <path>`: where to put a copy of the run's junit.xml, as given (relative to the current directory). */
  junit?: string;
  /** `--label <text>`: what the session is called in its reports and in a merge ("shard 2/4"); THREEPIO_LABEL otherwise. */
  label?: string;
  /** `--failed` (`--last-failed`): only what failed in the last run of the command; `all-if-none`: everything when nothing failed or there is no last run. */
  failed?: 'only' | 'all-if-none';
}

/**
 * 3pio's own command line: its options come first; the first other word starts the test
 * command (`--` ends the options, for a command that starts with a dash). The words
 * `replay`, `last`, `merge` and `pack` in that place are 3pio's own commands, not a program to run.
 */
export type CliRequest =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'replay'; file: string; options: CliOptions }
  | { kind: 'last' }
  | { kind: 'merge'; sources: string[]; options: CliOptions }
  | ({ kind: 'pack' } & PackRequest)
  | { kind: 'run'; command: string[]; options: CliOptions };

const HINT = 'Run 3pio --help for the options.';

function junitPath(value: string | undefined): string {
  if (value === undefined || value === '') throw new UsageError(`--junit needs a file path, e.g. --junit reports/junit.xml. ${HINT}`);
  return value;
}

export function parseArgs(argv: string[]): CliRequest {
  const options: CliOptions = {};
  let index = 0;
  for (; index < argv.length; index += 1) {
    const option = argv[index] ?? '';
    if (option === '--') {
      index += 1;
      break;
    }
    if (!option.startsWith('-')) break;
    if (option === '--help' || option === '-h') return { kind: 'help' };
    if (option === '--version' || option === '-v' || option === '-V') return { kind: 'version' };
    if (option === '--junit') {
      index += 1;
      options.junit = junitPath(argv[index]);
    } else if (option.startsWith('--junit=')) {
      options.junit = junitPath(option.slice('--junit='.length));
    } else if (option === '--label' || option.startsWith('--label=')) {
      const value = option === '--label' ? argv[(index += 1)] : option.slice('--label='.length);
      if (value === undefined || value.trim() === '') throw new UsageError(`--label needs a name, e.g. --label "shard 2/4". ${HINT}`);
      options.label = value;
    } else if (option === '--failed' || option === '--last-failed') {
      options.failed = 'only';
    } else if (option === '--failed=all-if-none' || option === '--last-failed=all-if-none') {
      options.failed = 'all-if-none';
    } else if (option.startsWith('--failed=') || option.startsWith('--last-failed=')) {
      throw new UsageError(`${option}: the only value --failed takes is all-if-none (--failed=all-if-none). ${HINT}`);
    } else {
      throw new UsageError(`Unknown option ${option}. ${HINT}`);
    }
  }
  const command = argv.slice(index);
  if (command.length === 0) throw new UsageError(`No test command given. Usage: 3pio [options] <command…>, e.g. 3pio npm test. ${HINT}`);
  const [first, file, ...rest] = command;
  if ((first === 'replay' || first === 'last' || first === 'merge') && options.failed !== undefined)
    throw new UsageError(`--failed runs a command again, narrowed to what failed; 3pio ${first} runs nothing. ${HINT}`);
  if (first === 'pack') return { kind: 'pack', ...parsePackArgs(command.slice(1), options) };
  if (first === 'merge') {
    const sources = command.slice(1);
    if (sources.length === 0)
      throw new UsageError(
        'Usage: 3pio merge <run dir | ipc.jsonl | pack.tgz>…: give the runs to merge, e.g. 3pio merge shard-1/.3pio/runs/latest shard-2/.3pio/runs/latest.',
      );
    return { kind: 'merge', sources, options };
  }
  if (first === 'replay') {
    if (file === undefined || rest.length > 0) throw new UsageError('Usage: 3pio replay <ipc.jsonl>: give exactly one event file.');
    return { kind: 'replay', file, options };
  }
  if (first === 'last') {
    if (file !== undefined) throw new UsageError('Usage: 3pio last: it takes no arguments (it shows the last run of this directory).');
    if (options.junit !== undefined)
      throw new UsageError(`--junit is for a run or a replay; the last run's junit.xml is in .3pio/runs/latest/.`);
    return { kind: 'last' };
  }
  return { kind: 'run', command, options };
}
