import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRunId, ipcDirectory, ipcFilePath, isRunId } from '../src/index.js';
import { cannotCreate, ensureOwnDirectory, ensureThreepioDirectory } from '../src/paths.js';
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

  it('refuses a .3pio that is a symbolic link, to the project itself or elsewhere, and writes nothing through it', () => {
    const project = join(scratch.dir, 'linked-to-itself');
    mkdirSync(project);
    writeFileSync(join(project, '.gitignore'), 'node_modules\n');
    symlinkSync('.', join(project, '.3pio'));
    expect(() => ensureThreepioDirectory(project)).toThrow(
      `${join(project, '.3pio')} is a symbolic link (to .), and 3pio does not write through links.`,
    );
    expect(readFileSync(join(project, '.gitignore'), 'utf8')).toBe('node_modules\n');

    const elsewhere = join(scratch.dir, 'elsewhere');
    mkdirSync(elsewhere);
    const other = join(scratch.dir, 'linked-elsewhere');
    mkdirSync(other);
    symlinkSync(elsewhere, join(other, '.3pio'));
    expect(() => ensureThreepioDirectory(other)).toThrow(/is a symbolic link/);
    expect(existsSync(join(elsewhere, '.gitignore'))).toBe(false);
  });

  it('refuses a .3pio that is a file, saying so', () => {
    const project = join(scratch.dir, 'file');
    mkdirSync(project);
    writeFileSync(join(project, '.3pio'), 'mine');
    expect(() => ensureThreepioDirectory(project)).toThrow(`${join(project, '.3pio')} is a file, not a directory`);
    expect(readFileSync(join(project, '.3pio'), 'utf8')).toBe('mine');
  });

  it('names the real cause when a directory cannot be made', () => {
    const missingParent = join(scratch.dir, 'no', 'such');
    expect(() => ensureOwnDirectory(missingParent)).toThrow(
      `cannot create ${missingParent}: its parent directory does not exist (ENOENT).`,
    );
    // EROFS needs a read-only mount (the CLI test makes one where it may): the message is the same mapping.
    const readOnly = Object.assign(new Error('EROFS: read-only file system, mkdir'), { code: 'EROFS' });
    expect(cannotCreate('/ro/.3pio', readOnly).message).toBe(
      'cannot create /ro/.3pio: the file system is read-only (EROFS). 3pio keeps its runs in .3pio/ of the directory it runs in: run it where it can write.',
    );
  });
});
