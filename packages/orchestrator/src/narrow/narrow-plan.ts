/**
 * `3pio --failed`: the plan of a narrowed run, written by the orchestrator into the new
 * run's directory and read by the preload in each runner process (preload/narrowing.ts).
 * One entry per runner run of the last run that had failures, found again by its runner
 * and root: the test files to run again and, where only some of a file's tests failed,
 * those tests by their full names.
 */
export const NARROW_PLAN = 'narrow.json';
export const NARROW_PLAN_VERSION = 1;

export interface NarrowedFile {
  /** Absolute. */
  path: string;
  /** The failing tests' names, suite chain then title; absent: the whole file (it failed to load, a hook failed, it never finished). */
  tests?: string[][];
}

export interface NarrowedRun {
  runner: string;
  /** The run's root (Jest's rootDir, Vitest's root, Mocha's working directory). */
  root: string;
  files: NarrowedFile[];
}

export interface NarrowPlan {
  version: typeof NARROW_PLAN_VERSION;
  /** The run directory name the failures come from. */
  fromRun: string;
  runs: NarrowedRun[];
}
