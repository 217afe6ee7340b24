import type { FileRecord, RunState } from '../model/run-state.js';
import { displayPath } from './report-path.js';

/**
 * How a test file is named in console lines and reports: its path, and what tells apart
 * the records of one path: the project that ran it, and the run, when several runs did
 * (unless `runShownApart`: a table with a column for the run).
 */
export function fileName(file: FileRecord, state: RunState, { runShownApart = false } = {}): string {
  const tags: string[] = [];
  if (file.project !== undefined) tags.push(file.project);
  if (!runShownApart && state.runsOfPath(file.filePath) > 1) tags.push(`run ${file.run.index}`);
  const path = displayPath(file.filePath, state.projectRoot);
  return tags.length === 0 ? path : `${path} [${tags.join(', ')}]`;
}
