import { describe, expect, it } from 'vitest';
import { cacheReplayNote } from '../src/run/cache-replay.js';

describe('cacheReplayNote', () => {
  it('names the cached tasks Nx and Turborepo say they replayed, and how to run them', () => {
    // The ends of real outputs (Nx 23.3, an older Nx, Turborepo 2.11).
    expect(cacheReplayNote('Failed tasks:\n\n- a:test\n\n  Run duration:      6.9s\n  Cache:             1/1 hit (100%)\n')).toBe(
      'Nx replayed 1 task from its cache instead of running them: their tests are not in this report. To run them, add --skip-nx-cache to the nx command (or set NX_SKIP_NX_CACHE=true).',
    );
    expect(
      cacheReplayNote(
        ' NX   Successfully ran target test for 3 projects\n\nNx read the output from the cache instead of running the command for 2 out of 3 tasks.\n',
      ),
    ).toMatch(/^Nx replayed 2 tasks from its cache/);
    expect(cacheReplayNote(' Tasks:    3 successful, 3 total\nCached:    3 cached, 3 total\n  Time:    120ms >>> FULL TURBO\n')).toMatch(
      /^Turborepo replayed 3 tasks from its cache .* add --force to the turbo command/,
    );
  });

  it('says nothing when nothing was replayed', () => {
    expect(cacheReplayNote('  Cache:             0/3 hit (0%)\n')).toBeUndefined();
    expect(cacheReplayNote('Cached:    0 cached, 3 total\n')).toBeUndefined();
    expect(cacheReplayNote('a test printed Cache: 2/2 hit (100%)\n')).toBeUndefined();
    expect(cacheReplayNote('')).toBeUndefined();
  });
});
