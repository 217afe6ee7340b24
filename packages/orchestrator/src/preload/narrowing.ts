/**
 * `3pio --failed` inside a runner process: which test files and tests this run of the
 * runner runs again, from the plan the orchestrator put next to the session's preload
 * (narrow/narrow-plan.ts). Tests are selected by a regular expression over their full
 * names, suite chain and title joined by spaces, as Jest's `-t`, Vitest's `-t` and
 * Mocha's `--grep` all match them; every name is escaped, so names with regex
 * characters, quotes or any Unicode select exactly themselves.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { NARROW_PLAN, NARROW_PLAN_VERSION, type NarrowPlan } from '../narrow/narrow-plan.js';

export interface Narrowing {
  /** Absolute paths of the test files to run; none: the run runs nothing. */
  files: string[];
  /** Matches the full names of the tests to run; undefined: the files run whole. */
  namePattern: RegExp | undefined;
  /** What the run's report says of it. */
  note: string;
}

const plans = new Map<string, NarrowPlan | undefined>();

function planOf(preloadPath: string): NarrowPlan | undefined {
  if (!plans.has(preloadPath)) {
    let plan: NarrowPlan | undefined;
    try {
      const value = JSON.parse(readFileSync(join(dirname(preloadPath), NARROW_PLAN), 'utf8')) as { version?: unknown };
      if (value.version === NARROW_PLAN_VERSION) plan = value as NarrowPlan;
    } catch {
      // No plan: the session runs everything.
    }
    plans.set(preloadPath, plan);
  }
  return plans.get(preloadPath);
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The narrowing of a `runner` run at `root` in a `--failed` session; undefined in any other session. */
export function narrowingFor(preloadPath: string, runner: string, root: string): Narrowing | undefined {
  const plan = planOf(preloadPath);
  if (plan === undefined) return undefined;
  const run = plan.runs.find((candidate) => candidate.runner === runner && resolve(candidate.root) === resolve(root));
  const from = `run ${plan.fromRun}`;
  // Nothing of this run failed last time: it runs nothing now.
  if (run === undefined)
    return { files: [], namePattern: undefined, note: `3pio --failed: nothing of this run failed in ${from}, so it runs no test` };
  const files = run.files.map((file) => file.path);
  const fileCount = files.length === 1 ? '1 test file' : `${files.length} test files`;
  // One pattern serves every file of the run: a file to run whole means no pattern at all.
  if (run.files.some((file) => file.tests === undefined))
    return {
      files,
      namePattern: undefined,
      note: `3pio --failed: the ${fileCount} that failed in ${from}, run whole (one of them failed as a whole)`,
    };
  const names = new Set(run.files.flatMap((file) => (file.tests ?? []).map((titles) => titles.join(' '))));
  return {
    files,
    namePattern: new RegExp(`^(?:${[...names].map(escapeRegExp).join('|')})$`),
    note: `3pio --failed: only the ${names.size === 1 ? 'test' : `${names.size} tests`} of ${fileCount} that failed in ${from}`,
  };
}
