import { relative } from 'node:path';
import type { TestModule } from 'vitest/node';

/**
 * How a module's events name its file: the path and, when the run has several projects,
 * the project, because one file can be in several projects, each running it with its own
 * verdicts (PROTOCOL.md, `project`). Vitest makes project names unique; a project
 * without one is named by its root.
 */
/** Read loosely: a TestModule of a Vitest older or newer than the types may lack any of them. */
interface LooseProject {
  name?: string;
  config?: { root?: string };
  vitest?: { projects?: readonly unknown[]; config?: { root?: string } };
}

export function moduleFile(testModule: TestModule): { filePath: string; project?: string } {
  const filePath = testModule.moduleId;
  const project = (testModule as { project?: LooseProject }).project;
  if ((project?.vitest?.projects?.length ?? 0) < 2) return { filePath };
  const name = project?.name || relative(project?.vitest?.config?.root ?? '', project?.config?.root ?? '') || '.';
  return { filePath, project: name };
}
