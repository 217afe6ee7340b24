import type { Test } from '@jest/reporters';
import type { Config } from '@jest/types';
import { describe, expect, it } from 'vitest';
import { RunFiles } from '../../src/mapping/test-file.js';

const globalConfig = (projects: string[]) => ({ rootDir: '/repo', projects }) as unknown as Config.GlobalConfig;
const testOf = (path: string, config: Partial<Config.ProjectConfig>) => ({ path, context: { config } }) as unknown as Test;

describe('RunFiles', () => {
  it('names no project when the run has one', () => {
    const files = new RunFiles(globalConfig([]));
    expect(files.of(testOf('/repo/a.test.js', { id: 'x', rootDir: '/repo', displayName: { name: 'solo', color: 'white' } }))).toEqual({
      fields: { filePath: '/repo/a.test.js' },
      key: '/repo/a.test.js',
    });
  });

  it('tells apart the projects of a run: displayName, else root, else order', () => {
    const files = new RunFiles(globalConfig(['a', 'b']));
    const names = [
      { id: '1', rootDir: '/repo', displayName: { name: 'unit', color: 'white' } },
      { id: '2', rootDir: '/repo/packages/api' },
      { id: '3', rootDir: '/repo' },
      { id: '4', rootDir: '/repo' },
      { id: '5', rootDir: '/repo', displayName: 'legacy' },
      { id: '1', rootDir: '/repo', displayName: { name: 'unit', color: 'white' } },
    ].map((config) => files.of(testOf('/repo/a.test.js', config as unknown as Partial<Config.ProjectConfig>)).fields.project);
    expect(names).toEqual(['unit', 'packages/api', '.', '. #2', 'legacy', 'unit']);
    expect(new Set([files.of(testOf('/x', { id: '1' })).key, files.of(testOf('/x', { id: '3' })).key]).size).toBe(2);
  });
});
