/**
 * How a worker tells the main process what it reported for its file: an extra event
 * in the batch Mocha sends back when the file ends (ParallelBuffered#done), replayed
 * by the main process on its Runner like Mocha's own events. The main process then
 * knows which files were reported (no duplicates) and the totals, including tests
 * the worker synthesized under failed hooks, which Mocha's events do not carry.
 */
import type { FileSummary } from '../file-state.js';

export const FILE_SUMMARY_EVENT = '3pio file summary';

export interface FileSummaryMessage {
  /** Mocha's `linkPartialObjects` refuses event data without an id. */
  __mocha_id__: string;
  summaries: FileSummary[];
}
