import { mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pointLatest, readLatest } from '../src/run/latest-link.js';
import { keepRunsSetting, pruneRuns } from '../src/run/prune-runs.js';
import { isRunInProgress, RUNNING_MARKER } from '../src/run/run-marker.js';

let runs: string;
beforeEach(() => {
  runs = mkdtempSync(join(tmpdir(), '3pio-runs-'));
});
afterEach(() => rmSync(runs, { recursive: true, force: true }));

const id = (n: number) => `2026010${n}T000000000Z-0000000${n}`;
function run(n: number, marker?: object): string {
  mkdirSync(join(runs, id(n)));
  if (marker !== undefined) writeFileSync(join(runs, id(n), RUNNING_MARKER), JSON.stringify(marker));
  return id(n);
}

describe('THREEPIO_KEEP_RUNS', () => {
  it('takes a whole number, 0 for all, and warns about anything else, keeping 20', () => {
    expect(keepRunsSetting(undefined)).toEqual({ keep: 20 });
    expect(keepRunsSetting('')).toEqual({ keep: 20 });
    expect(keepRunsSetting(' 5 ')).toEqual({ keep: 5 });
    expect(keepRunsSetting('0')).toEqual({ keep: 0 });
    for (const bad of ['-1', '2.5', 'ten', '1e3', '99999999999999999999']) {
      expect(keepRunsSetting(bad).keep).toBe(20);
      expect(keepRunsSetting(bad).warning).toContain('is not a whole number of runs');
    }
  });
});

describe('latest', () => {
  it('is a relative link, replaced for each run, and read back as a run ID', async () => {
    await pointLatest(runs, run(1));
    expect(readlinkSync(join(runs, 'latest'))).toBe(id(1));
    await pointLatest(runs, run(2));
    expect(readlinkSync(join(runs, 'latest'))).toBe(id(2));
    expect(await readLatest(runs)).toBe(id(2));
    expect(readdirSync(runs).sort()).toEqual([id(1), id(2), 'latest']);
  });

  it('is read from a file holding the name, and never leads out of the runs directory', async () => {
    writeFileSync(join(runs, 'latest'), `${id(3)}\n`);
    expect(await readLatest(runs)).toBe(id(3));
    rmSync(join(runs, 'latest'));
    symlinkSync('../../etc', join(runs, 'latest'));
    expect(await readLatest(runs)).toBeUndefined();
    rmSync(join(runs, 'latest'));
    writeFileSync(join(runs, 'latest'), `../${id(3)}`);
    expect(await readLatest(runs)).toBeUndefined();
  });
});

describe('pruning', () => {
  it('keeps the newest N, the current run, latest’s, and runs whose 3pio is alive or elsewhere', async () => {
    const alive = run(1, { pid: process.pid, host: (await import('node:os')).hostname() });
    const elsewhere = run(2, { pid: 1, host: 'another-machine' });
    const unreadable = run(3, { pid: 'x' });
    run(4);
    const latest = run(5);
    await pointLatest(runs, latest);
    run(6);
    const current = run(7);
    const newest = [run(8), run(9)];
    const { deleted, inProgress } = await pruneRuns(runs, { keep: 2, current });
    expect(deleted).toEqual([id(6), id(4)]);
    expect(inProgress).toEqual([unreadable, elsewhere, alive]);
    expect(readdirSync(runs).sort()).toEqual([alive, elsewhere, unreadable, latest, current, ...newest, 'latest'].sort());
    expect(isRunInProgress(join(runs, alive))).toBe(true);
  });

  it('deletes nothing with keep 0', async () => {
    for (let n = 1; n <= 5; n += 1) run(n);
    expect((await pruneRuns(runs, { keep: 0, current: id(5) })).deleted).toEqual([]);
    expect(readdirSync(runs)).toHaveLength(5);
  });
});
