/**
 * The file a Jest test belongs to: its path and, when the run has several projects
 * (`projects` in the config), the project that ran it, because one file can be in several
 * projects, each running it with its own verdicts (PROTOCOL.md, `project`).
 */
import { relative } from 'node:path';
import type { Test } from '@jest/reporters';
import type { Config } from '@jest/types';

export interface JestFile {
  /** What the file's events carry. */
  fields: { filePath: string; project?: string };
  /** Tells the file apart from every other of the run. */
  key: string;
}

export class RunFiles {
  private readonly severalProjects: boolean;
  /** By project config id, the name its files carry. */
  private readonly names = new Map<string, string>();
  private readonly namesTaken = new Set<string>();

  constructor(private readonly globalConfig: Config.GlobalConfig | undefined) {
    this.severalProjects = (globalConfig?.projects.length ?? 0) > 1;
  }

  of(test: Test): JestFile {
    if (!this.severalProjects) return { fields: { filePath: test.path }, key: test.path };
    const project = this.projectName(test.context.config);
    return { fields: { filePath: test.path, project }, key: `${project}\0${test.path}` };
  }

  /** Its displayName, else its root relative to the run's; made unique by its order when two projects would share one. */
  private projectName(config: Config.ProjectConfig): string {
    const known = this.names.get(config.id);
    if (known !== undefined) return known;
    // A plain string in configs of Jest before 25, still seen in hand-made ones.
    const shown = config.displayName as Config.ProjectConfig['displayName'] | string | undefined;
    const displayName = typeof shown === 'string' ? shown : shown?.name;
    const base =
      displayName !== undefined && displayName !== '' ? displayName : relative(this.globalConfig?.rootDir ?? '', config.rootDir) || '.';
    let name = base;
    for (let n = 2; this.namesTaken.has(name); n += 1) name = `${base} #${n}`;
    this.names.set(config.id, name);
    this.namesTaken.add(name);
    return name;
  }
}
