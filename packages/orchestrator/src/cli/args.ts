import { UsageError } from '../errors.js';

/** 3pio's own command line: its options come first; the first other word starts the test command. */
export type CliRequest = { kind: 'help' } | { kind: 'version' } | { kind: 'replay'; file: string } | { kind: 'run'; command: string[] };

export function parseArgs(argv: string[]): CliRequest {
  let i = 0;
  for (; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    if (arg === '--version' || arg === '-v' || arg === '-V') return { kind: 'version' };
    if (arg === '--') {
      i += 1;
      break;
    }
    if (arg.startsWith('-')) throw new UsageError(`Unknown option ${arg}. Run 3pio --help for the options.`);
    break;
  }
  const command = argv.slice(i);
  if (command.length === 0)
    throw new UsageError('No test command given. Usage: 3pio [options] <test command…>, e.g. 3pio npm test. Run 3pio --help for more.');
  if (command[0] === 'replay') {
    if (command.length !== 2) throw new UsageError('Usage: 3pio replay <ipc.jsonl>: give exactly one event file.');
    return { kind: 'replay', file: command[1]! };
  }
  return { kind: 'run', command };
}
