import type { IpcEvent } from '@3pio/ipc';
import { describe, expect, it } from 'vitest';
import { rebaseEvents } from '../src/merge/rebase-events.js';

describe('rebaseEvents', () => {
  it('moves paths under the source’s root to the merge’s, relative ones by their run’s root, and leaves others as they were', () => {
    const events: IpcEvent[] = [
      { eventType: 'runStart', run: 'a', payload: { runner: 'jest', cwd: '/ci/work/app', root: '/ci/work/app/packages/api' } },
      { eventType: 'testCase', run: 'a', payload: { filePath: 'src/x.test.js', testName: 't', status: 'PASS' } },
      { eventType: 'testCase', run: 'a', payload: { filePath: '/ci/work/app/packages/api/src/y.test.js', testName: 't', status: 'FAIL' } },
      { eventType: 'stdoutChunk', run: 'a', payload: { filePath: '/elsewhere/z.test.js', chunk: 'hi\\n' } },
    ];
    const lines = rebaseEvents(events, { index: 2, root: '/ci/work/app', label: 'shard 2/3' }, '/home/me/app');
    expect(
      lines.map((line) => [line.run, (line.payload as Record<string, unknown>).filePath ?? (line.payload as Record<string, unknown>).root]),
    ).toEqual([
      ['2.a', '/home/me/app/packages/api'],
      ['2.a', '/home/me/app/packages/api/src/x.test.js'],
      ['2.a', '/home/me/app/packages/api/src/y.test.js'],
      ['2.a', '/elsewhere/z.test.js'],
    ]);
    expect(lines[0]!.payload).toMatchObject({ cwd: '/home/me/app', label: 'shard 2/3' });
  });

  it('gives events without run IDs the runs PROTOCOL.md gives them, and keeps unknown events as they were written', () => {
    const events: IpcEvent[] = [
      { eventType: 'testCase', payload: { filePath: '/s/early.test.js', testName: 't', status: 'PASS' } },
      { eventType: 'runStart', payload: { runner: 'mocha', cwd: '/s' } },
      { eventType: 'testCase', payload: { filePath: '/s/a.test.js', testName: 't', status: 'PASS' } },
      { eventType: 'runStart', payload: { runner: 'mocha', cwd: '/s' } },
      { eventType: 'unknown', originalEventType: 'coverage', reason: 'unknownEventType', timestamp: 5, payload: { lines: 3 } },
    ];
    const lines = rebaseEvents(events, { index: 1, root: '/s' }, '/m');
    expect(lines.map((line) => line.run)).toEqual(['1.legacy-0', '1.legacy-1', '1.legacy-1', '1.legacy-2', '1.legacy-2']);
    expect(lines[4]).toEqual({ eventType: 'coverage', run: '1.legacy-2', timestamp: 5, payload: { lines: 3 } });
  });
});
