/**
 * Vitest 2.1 as the adapter's mapping expects Vitest 3 and 4 to be: its tasks seen
 * through the parts of the reported-task API (`TestCase`, `TestSuite`, `TestModule`) that
 * the mapping reads. Vitest 2.1 has those classes, experimental, without what the mapping
 * needs most (`errors()`, a module's `state()`, a `result()` for a test still running), so
 * they are built here from the runner's own tasks, the data Vitest 2.1's reporters get.
 */
import type { TestCase, TestModule } from 'vitest/node';

/** A task as Vitest 2.1's runner hands it to reporters (`@vitest/runner` 2.1), read loosely. */
export interface RunnerTask {
  id: string;
  name: string;
  type: 'test' | 'suite' | 'custom';
  mode: 'run' | 'skip' | 'only' | 'todo';
  /** The enclosing suite; the file itself for a task at the top of a file. */
  suite?: RunnerTask;
  file?: RunnerTask;
  tasks?: RunnerTask[];
  /** Set on files. */
  filepath?: string;
  projectName?: string;
  result?: {
    state: 'run' | 'skip' | 'only' | 'todo' | 'pass' | 'fail';
    errors?: unknown[];
    duration?: number;
    retryCount?: number;
  };
}

/** What the module's project must say for moduleFile() to tell apart the projects of a workspace. */
interface ProjectsOwner {
  projects?: readonly unknown[];
}

type Entity = TaskTest | TaskSuite | TaskModule;

/** One wrapper per task, so that the run tracker and the mapping see one object per test, suite or file. */
export class TaskEntities {
  private readonly made = new WeakMap<RunnerTask, Entity>();

  constructor(private readonly vitest: ProjectsOwner) {}

  /** The file of `task` (a file is its own). */
  module(task: RunnerTask): TaskModule {
    const file = task.filepath === undefined ? (task.file ?? task) : task;
    return this.once(file, () => new TaskModule(file, this, this.vitest));
  }

  entity(task: RunnerTask): Entity {
    if (task.filepath !== undefined) return this.module(task);
    return this.once(task, () => (task.type === 'suite' ? new TaskSuite(task, this) : new TaskTest(task, this)));
  }

  /** As a TestCase of Vitest 3 and 4 (the mapping reads only what TaskTest has). */
  testCase(task: RunnerTask): TestCase {
    return this.entity(task) as unknown as TestCase;
  }

  /** As a TestModule of Vitest 3 and 4 (the mapping reads only what TaskModule has). */
  testModule(task: RunnerTask): TestModule {
    return this.module(task) as unknown as TestModule;
  }

  /** The suite around `task`, or its file. */
  parentOf(task: RunnerTask): TaskSuite | TaskModule {
    const suite = task.suite;
    if (suite === undefined || suite.filepath !== undefined) return this.module(task);
    return this.entity(suite) as TaskSuite;
  }

  private once<T extends Entity>(task: RunnerTask, make: () => T): T {
    const existing = this.made.get(task);
    if (existing !== undefined) return existing as T;
    const entity = make();
    this.made.set(task, entity);
    return entity;
  }
}

/** A test whose result Vitest 2.1 does not have yet is `pending`, as in Vitest 3 and 4. */
function testState(task: RunnerTask): 'pending' | 'passed' | 'failed' | 'skipped' {
  switch (task.result?.state) {
    case 'pass':
      return 'passed';
    case 'fail':
      return 'failed';
    case 'skip':
    case 'todo':
      return 'skipped';
    case undefined:
      // Vitest 2.1 gives the tests it skips before running (`it.skip`, `it.todo`, left out by `.only`) no result at all.
      return task.mode === 'skip' || task.mode === 'todo' ? 'skipped' : 'pending';
    default:
      return 'pending';
  }
}

/** Whether a suite around `task`, or its file, has errors (a hook that threw). */
function hasFailedAncestor(task: RunnerTask): boolean {
  const failed = (group: RunnerTask | undefined) => (group?.result?.errors?.length ?? 0) > 0;
  for (let suite = task.suite; suite !== undefined && suite.filepath === undefined; suite = suite.suite) if (failed(suite)) return true;
  return failed(task.file);
}

class TaskTest {
  readonly type = 'test';
  readonly id: string;
  readonly name: string;

  constructor(
    private readonly task: RunnerTask,
    private readonly entities: TaskEntities,
  ) {
    this.id = task.id;
    this.name = task.name;
  }

  /**
   * Vitest 2.1 marks the tests that a failing `beforeAll` kept from running `mode: 'skip'`,
   * as if written `it.skip`; Vitest 3 keeps their mode, which is how the mapping tells them
   * apart and reports them FAIL with the hook's error. So a test skipped while running
   * under a suite or file with errors is given back the mode `run`.
   */
  get options(): { mode: RunnerTask['mode'] } {
    const { mode, result } = this.task;
    return { mode: mode === 'skip' && result?.state === 'skip' && hasFailedAncestor(this.task) ? 'run' : mode };
  }

  get module(): TaskModule {
    return this.entities.module(this.task);
  }

  get parent(): TaskSuite | TaskModule {
    return this.entities.parentOf(this.task);
  }

  result(): { state: ReturnType<typeof testState>; errors: unknown[] } {
    return { state: testState(this.task), errors: this.task.result?.errors ?? [] };
  }

  diagnostic(): { duration: number; retryCount: number } | undefined {
    const result = this.task.result;
    if (result === undefined || result.state === 'run') return undefined;
    return { duration: result.duration ?? 0, retryCount: result.retryCount ?? 0 };
  }
}

/** What suites and files share: their errors (hooks, a file that failed to load) and their tests. */
abstract class TaskGroup {
  readonly id: string;
  readonly name: string;

  constructor(
    protected readonly task: RunnerTask,
    protected readonly entities: TaskEntities,
  ) {
    this.id = task.id;
    this.name = task.name;
  }

  errors(): unknown[] {
    return this.task.result?.errors ?? [];
  }

  get children(): { allTests(): Generator<TaskTest>; allSuites(): Generator<TaskSuite> } {
    const { task, entities } = this;
    return {
      *allTests() {
        for (const child of walk(task)) if (child.type !== 'suite') yield entities.entity(child) as TaskTest;
      },
      *allSuites() {
        for (const child of walk(task)) if (child.type === 'suite') yield entities.entity(child) as TaskSuite;
      },
    };
  }
}

/** Every task inside `task`, depth first. */
function* walk(task: RunnerTask): Generator<RunnerTask> {
  for (const child of task.tasks ?? []) {
    yield child;
    yield* walk(child);
  }
}

class TaskSuite extends TaskGroup {
  readonly type = 'suite';
  readonly options: { mode: RunnerTask['mode'] };

  constructor(task: RunnerTask, entities: TaskEntities) {
    super(task, entities);
    this.options = { mode: task.mode };
  }

  get module(): TaskModule {
    return this.entities.module(this.task);
  }

  get parent(): TaskSuite | TaskModule {
    return this.entities.parentOf(this.task);
  }
}

class TaskModule extends TaskGroup {
  readonly type = 'module';
  readonly moduleId: string;
  readonly project: { name?: string; vitest: ProjectsOwner };

  constructor(task: RunnerTask, entities: TaskEntities, vitest: ProjectsOwner) {
    super(task, entities);
    this.moduleId = task.filepath ?? task.name;
    this.project = { ...(task.projectName ? { name: task.projectName } : {}), vitest };
  }

  /** As Vitest 3 and 4 say it: `queued` before the file started, `pending` while it runs. */
  state(): 'queued' | 'pending' | 'passed' | 'failed' | 'skipped' {
    const state = this.task.result?.state;
    if (state === undefined) return 'queued';
    return state === 'run' ? 'pending' : testState(this.task);
  }

  diagnostic(): { duration: number } {
    return { duration: this.task.result?.duration ?? 0 };
  }
}
