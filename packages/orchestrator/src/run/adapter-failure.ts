import type { AdapterErrorEvent } from '@3pio/ipc';
import type { RunRecord } from '../model/run-state.js';
import { displayPath } from '../reports/report-path.js';
import { plural } from '../text.js';

/** The run log's entry for an adapter's failure: what it was handling, then the error in full. */
export function adapterFailureText(
  { runner, hook, message, stack, filePath, project, testName, ancestorTitles }: AdapterErrorEvent['payload'],
  projectRoot: string,
): string {
  const test = testName === undefined ? [] : [[...(ancestorTitles ?? []), testName].join(' › ')];
  const file = filePath === undefined ? [] : [`${displayPath(filePath, projectRoot)}${project === undefined ? '' : ` [${project}]`}`];
  const about = [...file, ...test].join(': ');
  return `3pio's ${runner} adapter failed in ${hook}${about === '' ? '' : ` (handling ${about})`}; results it was sending are missing: ${stack ?? message}`;
}

/** The summary's word on a run whose adapter could not send everything, if it could not. */
export function missingResultsNote(run: RunRecord, runName: string, logName: string): string | undefined {
  const { adapterErrors, lostEvents } = run.missingResults;
  if (adapterErrors === 0 && lostEvents === 0) return undefined;
  const what = [
    ...(adapterErrors > 0 ? [`failed ${plural(adapterErrors, 'time')} handling the runner's results`] : []),
    ...(lostEvents > 0 ? [`could not write ${plural(lostEvents, 'event')}`] : []),
  ].join(' and ');
  return `${runName}: 3pio's adapter ${what}, so results may be missing from these reports (details in ${logName}); the runner's own output is in output.log.`;
}
