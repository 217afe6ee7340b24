/**
 * Vitest 2.1 reports through the hooks Vitest 3 deprecated and Vitest 4 removed
 * (`onPathsCollected`, `onCollected`, `onTaskUpdate`, `onFinished`), none of those the
 * adapter implements. On Vitest 2.1 only, this reporter turns them into the calls Vitest 3
 * and 4 make, with its tasks seen as their TestCase and TestModule (tasks.ts): the mapping
 * is the same for every version. On Vitest 3 these hooks are still called, and ignored here.
 */
import { isAbsolute, resolve } from 'node:path';
import { debugLog } from '@3pio/ipc/adapter';
import type { SerializedError, TestRunEndReason, TestSpecification, Vitest } from 'vitest/node';
import { ThreePioVitestReporter } from '../reporter.js';
import { TaskEntities, type RunnerTask } from './tasks.js';

/** `[task id, result, meta]`, as Vitest 2.1 sends task updates. */
type TaskResultPack = readonly [string, unknown, unknown];

interface Vitest2 {
  version: string;
  isCancelling?: boolean;
  projects?: readonly unknown[];
  config?: { root?: string };
  state: { idMap: Map<string, RunnerTask> };
}

export function isVitest2(version: unknown): boolean {
  return typeof version === 'string' && version.startsWith('2.');
}

function finished(task: RunnerTask): boolean {
  const state = task.result?.state;
  return state !== undefined && state !== 'run';
}

/**
 * Vitest 2.1 names an unhandled error's test file relative to the root (Vitest 3: absolute),
 * in VITEST_TEST_PATH: a copy with the absolute path, by which the mapping finds the file.
 */
function withAbsoluteTestPath(error: unknown, root: string): unknown {
  const path = (error as { VITEST_TEST_PATH?: unknown } | null)?.VITEST_TEST_PATH;
  if (typeof path !== 'string' || path === '' || isAbsolute(path)) return error;
  return { ...(error as object), VITEST_TEST_PATH: resolve(root, path) };
}

export class ThreePioVitestReporterWithVitest2 extends ThreePioVitestReporter {
  /** Set on Vitest 2.1 only. */
  private legacy: { vitest: Vitest2; entities: TaskEntities } | undefined;

  override onInit(vitest: Vitest): void {
    super.onInit(vitest);
    const loose = vitest as unknown as Vitest2;
    if (isVitest2(loose.version)) this.legacy = { vitest: loose, entities: new TaskEntities(loose) };
  }

  /** Vitest 2.1: the run's files, before any of them runs (Vitest 3: onTestRunStart). */
  onPathsCollected(paths: readonly string[] = []): void {
    this.bridged('onPathsCollected', () => {
      this.onTestRunStart(paths.map((moduleId) => ({ moduleId })) as unknown as TestSpecification[]);
    });
  }

  /** Vitest 2.1: files whose tests were collected (Vitest 3: onTestModuleCollected). */
  onCollected(files: readonly RunnerTask[] = []): void {
    this.bridged('onCollected', ({ entities }) => {
      for (const file of files) this.onTestModuleCollected(entities.testModule(file));
    });
  }

  /** Vitest 2.1: tasks whose state changed; a finished test or file is what Vitest 3 reports on its own. */
  onTaskUpdate(packs: readonly TaskResultPack[] = []): void {
    this.bridged('onTaskUpdate', ({ vitest, entities }) => {
      for (const [id] of packs) {
        // Vitest 2.1 applied the update to its tasks before calling reporters.
        const task = vitest.state.idMap.get(id);
        if (task === undefined || !finished(task)) continue;
        if (task.filepath !== undefined) this.onTestModuleEnd(entities.testModule(task));
        else if (task.type !== 'suite') this.onTestCaseResult(entities.testCase(task));
      }
    });
  }

  /** Vitest 2.1: the run ended (Vitest 3: onTestRunEnd, with the reason it ended). */
  onFinished(files: readonly RunnerTask[] = [], errors: readonly unknown[] = []): void {
    this.bridged('onFinished', ({ vitest, entities }) => {
      const modules = files.map((file) => entities.testModule(file));
      const failed = errors.length > 0 || modules.some((module) => module.state() === 'failed');
      const reason: TestRunEndReason = vitest.isCancelling === true ? 'interrupted' : failed ? 'failed' : 'passed';
      const root = vitest.config?.root ?? process.cwd();
      this.onTestRunEnd(modules, errors.map((error) => withAbsoluteTestPath(error, root)) as SerializedError[], reason);
    });
  }

  /** The hooks it calls guard themselves; the translation must not throw into Vitest either. */
  private bridged(hook: string, body: (legacy: { vitest: Vitest2; entities: TaskEntities }) => void): void {
    if (this.legacy === undefined) return;
    try {
      body(this.legacy);
    } catch (error) {
      debugLog(`vitest ${hook} (Vitest 2.1): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
}
