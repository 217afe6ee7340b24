import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NARROW_PLAN, type NarrowPlan } from '../src/narrow/narrow-plan.js';
import { narrowingFor } from '../src/preload/narrowing.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A session directory holding `plan`, and its preload's path (the plan is found next to it). */
function sessionWith(plan: NarrowPlan | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), '3pio-narrow-'));
  dirs.push(dir);
  if (plan !== undefined) writeFileSync(join(dir, NARROW_PLAN), JSON.stringify(plan));
  return join(dir, 'preload.cjs');
}

const HOSTILE = [
  'adds (1 + 2) * 3 ^ $x',
  'a|b',
  'quotes "double" and \'single\'',
  'back\\slash [set] {1,2} ?+.',
  'ünïcode ✓ 日本',
  '/slashes/',
];

describe('narrowingFor', () => {
  it('is undefined outside a --failed session', () => {
    expect(narrowingFor(sessionWith(undefined), 'jest', '/p')).toBeUndefined();
  });

  it('runs nothing for a runner run that had no failures last time', () => {
    const preload = sessionWith({ version: 1, fromRun: 'r', runs: [{ runner: 'mocha', root: '/p', files: [{ path: '/p/a.js' }] }] });
    expect(narrowingFor(preload, 'jest', '/p')).toMatchObject({
      files: [],
      namePattern: undefined,
      note: '3pio --failed: nothing of this run failed in run r, so it runs no test',
    });
    expect(narrowingFor(preload, 'mocha', '/elsewhere')).toMatchObject({
      files: [],
      namePattern: undefined,
      note: '3pio --failed: nothing of this run failed in run r, so it runs no test',
    });
  });

  it('selects exactly the failing tests by full name, whatever characters the names hold', () => {
    const tests = HOSTILE.map((name) => ['suite (x)', name]);
    const preload = sessionWith({
      version: 1,
      fromRun: 'r',
      runs: [{ runner: 'vitest', root: '/p/', files: [{ path: '/p/a.test.ts', tests }] }],
    });
    const narrowing = narrowingFor(preload, 'vitest', '/p')!;
    expect(narrowing.files).toEqual(['/p/a.test.ts']);
    for (const name of HOSTILE) expect(narrowing.namePattern!.test(`suite (x) ${name}`), name).toBe(true);
    for (const other of ['suite (x) adds', 'suite (x) a', 'suite x a|b', 'suite (x) a|b and more', 'adds (1 + 2) * 3 ^ $x'])
      expect(narrowing.namePattern!.test(other), other).toBe(false);
  });

  it('runs the files whole when one of them must be (it failed to load)', () => {
    const preload = sessionWith({
      version: 1,
      fromRun: 'r',
      runs: [{ runner: 'jest', root: '/p', files: [{ path: '/p/a.test.js', tests: [['t']] }, { path: '/p/broken.test.js' }] }],
    });
    expect(narrowingFor(preload, 'jest', '/p')).toMatchObject({ files: ['/p/a.test.js', '/p/broken.test.js'], namePattern: undefined });
  });
});
