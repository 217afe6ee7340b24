import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRunId, ipcDirectory, ipcFilePath, isRunId } from '../src/index.js';
import { ensureThreepioDirectory } from '../src/paths.js';
import { useScratch } from './helpers.js';

const scratch = useScratch('3pio-paths-', []);

describe('paths', () => {
  it('makes .3pio owner-only, with a .gitignore that keeps it out of git, and leaves an existing one alone', () => {
    const dir = ensureThreepioDirectory(scratch.dir);
    expect(dir).toBe(join(scratch.dir, '.3pio'));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toMatch(/^\*$/m);
    expect(statSync(join(dir, '.gitignore')).mode & 0o777).toBe(0o600);
    writeFileSync(join(dir, '.gitignore'), 'runs/\n');
    expect(ensureThreepioDirectory(scratch.dir)).toBe(dir);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('runs/\n');
  });

  it('puts IPC files under <root>/.3pio/ipc', () => {
    expect(ipcDirectory('/project')).toBe(join('/project', '.3pio', 'ipc'));
    const runId = createRunId(new Date(Date.UTC(2026, 10, 26, 23, 15, 28, 123)));
    expect(runId).toMatch(/^20261126T231528123Z-[0-9a-f]{8}$/);
    expect(ipcFilePath(runId, '/project')).toBe(join('/project', '.3pio', 'ipc', `${runId}.jsonl`));
  });

  it('makes run IDs that sort by time and are unique within one millisecond', () => {
    const at = new Date(Date.UTC(2026, 0, 1));
    const same = Array.from({ length: 1000 }, () => createRunId(at));
    expect(new Set(same).size).toBe(1000);
    const earlier = createRunId(new Date(Date.UTC(2025, 11, 31, 23, 59, 59, 999)));
    const later = createRunId(new Date(Date.UTC(2026, 0, 1, 0, 0, 0, 1)));
    expect([later, same[0]!, earlier].sort()).toEqual([earlier, same[0], later]);
    expect(same.every(isRunId)).toBe(true);
  });

  it('refuses a run ID that could climb out of the IPC directory', () => {
    for (const bad of ['../../etc/passwd', 'a/b', '', '20261126T231528123Z-1a2b3c4d/../x']) {
      expect(() => ipcFilePath(bad, '/project')).toThrow(/Invalid run ID/);
    }
  });
});
