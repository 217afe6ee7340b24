import { UsageError } from '../errors.js';

/** 3pio's own command line: its options come first; the first other word starts the test command. */
export type CliRequest = { kind: 'help' } | { kind: 'version' } | { kind: 'replay'; file: string } | { kind: 'run'; command: string[] };

export function parseArgs(argv: string[]): CliRequest {
  const [option] = argv;
  if (option === '--help' || option === '-h') return { kind: 'help' };
  if (option === '--version' || option === '-v' || option === '-V') return { kind: 'version' };
  if (option !== '--' && option?.startsWith('-') === true)
    throw new UsageError(`Unknown option ${option}. Run 3pio --help for the options.`);
  const command = argv.slice(option === '--' ? 1 : 0);
  if (command.length === 0)
    throw new UsageError('No test command given. Usage: 3pio [options] <command…>, e.g. 3pio npm test. Run 3pio --help for more.');
  const [first, file, ...rest] = command;
  if (first === 'replay') {
    if (file === undefined || rest.length > 0) throw new UsageError('Usage: 3pio replay <ipc.jsonl>: give exactly one event file.');
    return { kind: 'replay', file };
  }
  return { kind: 'run', command };
}
