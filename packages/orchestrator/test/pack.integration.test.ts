/**
 * `3pio pack` as a user runs it, with the built CLI, on a run directory `3pio replay`
 * made from a hand-written recording: the archive it writes, read back by 3pio's own
 * reader and by the system tar, holds the same files; and what it says and does when
 * there is nothing it can pack.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unpackArchive } from '../src/archive/index.js';
import { run3pio } from './support/run-3pio.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), '3pio-pack-')));
  dirs.push(dir);
  return dir;
}

/** One Jest run of one test file, a test passing and one failing, as its adapter would have written it. */
function recording(project: string): string {
  const file = join(project, 'src', 'sum.test.js');
  const events = [
    {
      eventType: 'runStart',
      run: 'r1',
      payload: { runner: 'jest', runnerVersion: '30.5.2', pid: 4242, cwd: project, root: project, totalFiles: 1 },
    },
    { eventType: 'testFileStart', run: 'r1', payload: { filePath: file } },
    {
      eventType: 'testCase',
      run: 'r1',
      payload: { filePath: file, testName: 'adds', ancestorTitles: ['sum'], status: 'PASS', duration: 3 },
    },
    {
      eventType: 'testCase',
      run: 'r1',
      payload: {
        filePath: file,
        testName: 'subtracts',
        ancestorTitles: ['sum'],
        status: 'FAIL',
        duration: 2,
        failure: { message: 'expected 1 to be 2' },
      },
    },
    { eventType: 'stdoutChunk', run: 'r1', payload: { filePath: file, chunk: 'computing 1 - 2\n' } },
    { eventType: 'testFileResult', run: 'r1', payload: { filePath: file, status: 'FAIL', duration: 20 } },
    {
      eventType: 'runComplete',
      run: 'r1',
      payload: {
        runner: 'jest',
        pid: 4242,
        status: 'FAIL',
        duration: 40,
        totals: { files: 1, tests: 2, passed: 1, failed: 1, skipped: 0 },
      },
    },
  ];
  const path = join(project, 'events.jsonl');
  writeFileSync(path, events.map((event) => JSON.stringify(event)).join('\n') + '\n');
  return path;
}

/** Every file under `root` with its contents, and every directory, with its mode. */
function filesOf(root: string, under = ''): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(join(root, under), { withFileTypes: true })) {
    const name = under === '' ? entry.name : `${under}/${entry.name}`;
    const mode = (statSync(join(root, name)).mode & 0o777).toString(8);
    if (entry.isDirectory()) Object.assign(files, { [`${name}/`]: mode }, filesOf(root, name));
    else files[name] = `${mode} ${readFileSync(join(root, name), 'utf8')}`;
  }
  return files;
}

describe('3pio pack', () => {
  let project: string;
  let runId: string;
  let runDir: string;
  beforeAll(async () => {
    project = tempDir();
    const replayed = await run3pio(project, ['replay', recording(project)]);
    expect(replayed.code).toBe(1);
    runId = readdirSync(join(project, '.3pio', 'runs')).filter((name) => name !== 'latest')[0]!;
    runDir = join(project, '.3pio', 'runs', runId);
  });

  it('packs .3pio/runs/latest into <run id>.tgz here, prints its path, and both readers give back the run’s files', async () => {
    const { code, stdout, stderr } = await run3pio(project, ['pack']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(`${runId}.tgz\n`);
    const archive = join(project, `${runId}.tgz`);
    expect(statSync(archive).mode & 0o777).toBe(0o600);
    const files = filesOf(runDir);
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining(['test-run.md', 'ipc.jsonl', 'session.json', 'reports/src/sum.test.js/index.md']),
    );

    const unpacked = await unpackArchive(archive, tempDir());
    expect(filesOf(unpacked)).toEqual(files);

    const byTar = tempDir();
    const tar = spawnSync('tar', ['-xzf', archive, '-C', byTar], { encoding: 'utf8' });
    expect(tar.stderr).toBe('');
    expect(readdirSync(byTar)).toEqual([runId]);
    expect(filesOf(join(byTar, runId))).toEqual(files);
  });

  it('packs the run directory given to the file --out names, making its directories', async () => {
    const { code, stdout } = await run3pio(project, ['pack', '--out', 'artifacts/shard-1.tgz', `.3pio/runs/${runId}`]);
    expect(code).toBe(0);
    expect(stdout).toBe('artifacts/shard-1.tgz\n');
    const listed = spawnSync('tar', ['-tzf', join(project, 'artifacts', 'shard-1.tgz')], { encoding: 'utf8' }).stdout;
    expect(listed.split('\n')).toEqual(
      expect.arrayContaining([`${runId}/`, `${runId}/test-run.md`, `${runId}/reports/src/sum.test.js/index.md`]),
    );
  });

  it('refuses a run still in progress, exit 2, writing nothing', async () => {
    const running = join(project, '.3pio', 'runs', '20261126T231528123Z-00000000');
    mkdirSync(running, { mode: 0o700 });
    writeFileSync(join(running, 'running.json'), JSON.stringify({ pid: process.pid, host: hostname() }));
    writeFileSync(join(running, 'ipc.jsonl'), '');
    const { code, stdout, stderr } = await run3pio(project, ['pack', '--out', 'running.tgz', running]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `3pio: ${running} is a run still in progress: pack it when its 3pio has finished, or pack the last finished run: 3pio pack.\n`,
    );
    expect(existsSync(join(project, 'running.tgz'))).toBe(false);
    rmSync(running, { recursive: true });
  });

  it.each<[string, string[], RegExp]>([
    [
      'no run in this directory',
      ['pack'],
      /^3pio: There is no finished run to pack: \.3pio\/runs\/latest does not exist\. Run your tests with 3pio first/,
    ],
    [
      'a run directory that is not there',
      ['pack', 'nowhere'],
      /^3pio: There is no run directory nowhere \(ENOENT\)\. Give a run directory/,
    ],
    ['a file', ['pack', 'notes.txt'], /^3pio: notes\.txt is a file, not a run directory\./],
    ['a directory that is not a run', ['pack', 'src'], /^3pio: src is not a 3pio run directory/],
    [
      'two run directories',
      ['pack', 'a', 'b'],
      /^3pio: 3pio pack packs one run directory; 2 were given\. Usage: 3pio pack \[--out <file\.tgz>\] \[run dir\]/,
    ],
    ['an option of a run', ['--junit', 'j.xml', 'pack'], /^3pio: --junit is for a run; 3pio pack takes only --out\./],
    ['an unknown option', ['pack', '--gzip'], /^3pio: Unknown option --gzip for 3pio pack\./],
    ['--out without a file', ['pack', '--out'], /^3pio: --out needs a file/],
  ])('refuses %s, exit 2, saying what to do and writing nothing', async (_, args, message) => {
    const dir = tempDir();
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'notes.txt'), 'notes\n');
    const { code, stdout, stderr } = await run3pio(dir, args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(readdirSync(dir).sort()).toEqual(['notes.txt', 'src']);
  });

  it('is in --help', async () => {
    expect((await run3pio(project, ['--help'])).stdout).toContain('3pio pack [--out <file.tgz>] [run dir]');
  });
});
