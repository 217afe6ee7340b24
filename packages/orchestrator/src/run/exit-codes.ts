/** The exit codes 3pio uses, documented in its README. */
import { constants } from 'node:os';
import type { CommandExit } from './command-process.js';

/** A mistake on 3pio's command line (unknown option, no command, a command 3pio cannot run): nothing was run. */
export const EXIT_USAGE = 2;
/** 3pio itself failed (a bug, or the run directory could not be written). */
export const EXIT_INTERNAL = 125;
/** The command could not be started at all, as a shell says it. */
export const EXIT_NOT_STARTED = 127;

export const SIGNAL_NUMBERS = constants.signals as Record<NodeJS.Signals, number>;

/** The command's own exit code, or 128 + N when it died of signal N. */
export function exitCodeFor(exit: CommandExit): number {
  if (exit.signal !== null) return 128 + SIGNAL_NUMBERS[exit.signal];
  return exit.code ?? EXIT_INTERNAL;
}
