/**
 * Runs of a runner older than 3pio supports: the preload registered no adapter there and
 * said so in the run's runStart (`unsupported`, runner-support.ts). Their tests ran with
 * the runner's own output only, so the session must not read as if 3pio saw them.
 */
import type { RunRecord, RunState } from '../model/run-state.js';

export function unsupportedRuns(state: RunState): RunRecord[] {
  return [...state.runs.values()].filter((run) => run.start?.unsupported !== undefined);
}

/** The summary's sentence for them (each reason once), undefined when there are none. */
export function unsupportedNote(runs: readonly RunRecord[]): string | undefined {
  const reasons = [...new Set(runs.map((run) => run.start?.unsupported ?? ''))].filter((reason) => reason !== '');
  if (reasons.length === 0) return undefined;
  const whose = reasons.length === 1 ? 'Its' : 'Their';
  return `${reasons.join('. ')}. ${whose} results are only in the runner's own output (output.log), not in this report.`;
}

/** What the console says before the end of the command's output, when no other run reported. */
export const UNSUPPORTED_OUTPUT_HEADING = "The tests ran without 3pio's reports. The end of the command's output:";
