/**
 * Real processes appending to one real file while a real IpcManager reads it.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLine } from '../src/index.js';
import { describe, expect, it } from 'vitest';
import { EventCollector, checkChunk, startWriters, useTestManager, waitFor, type CheckedChunk } from './helpers.js';

const setUp = useTestManager();

/** Every writer's events arrived once each, in the order it wrote them, with intact bodies. */
function expectExactlyOnceInOrder(chunks: CheckedChunk[], expected: Map<string, number>) {
  const next = new Map<string, number>();
  for (const { writerId, seq, intact } of chunks) {
    expect(seq, `writer ${writerId} out of order`).toBe(next.get(writerId) ?? 0);
    expect(intact, `writer ${writerId} event ${seq} corrupt`).toBe(true);
    next.set(writerId, seq + 1);
  }
  for (const [writerId, count] of expected) expect(next.get(writerId) ?? 0, `events of writer ${writerId}`).toBe(count);
  return next;
}

describe('many writer processes, one file', () => {
  it('delivers 8 × 10,000 events of mixed sizes (some over 1 MiB) exactly once, in each writer’s order', async () => {
    const { manager, ipcPath, errors } = await setUp();
    const collector = new EventCollector(manager, checkChunk);
    const writers = Array.from({ length: 8 }, (_, i) => ({ id: `w${i}`, count: 10_000 }));
    const processes = await startWriters(ipcPath, writers);
    for (const { exited } of processes) expect(await exited).toEqual([0, null]);

    await collector.count(80_000);
    await manager.cleanup();
    await collector.finished;

    expect(collector.events).toHaveLength(80_000);
    expectExactlyOnceInOrder(collector.events, new Map(writers.map(({ id, count }) => [id, count])));
    expect(errors).toEqual([]);
    // The file holds 8 × 4 events of over 1 MiB.
    expect(statSync(ipcPath).size).toBeGreaterThan(8 * 4 * 1024 * 1024);
  });

  it('loses none of the other writers’ events when one is killed with SIGKILL mid-stream', async () => {
    const { manager, ipcPath, errors } = await setUp();
    let fromVictim = 0;
    const collector = new EventCollector(manager, (event) => {
      const chunk = checkChunk(event);
      if (chunk.writerId === 'victim') fromVictim += 1;
      return chunk;
    });
    const writers = [...Array.from({ length: 4 }, (_, i) => ({ id: `w${i}`, count: 10_000 })), { id: 'victim', count: 'victim' as const }];
    const processes = await startWriters(ipcPath, writers);
    const victim = processes.at(-1)!;

    // Kill it once it has been writing for a while, while the others are still going.
    await collector.until(() => fromVictim >= 20);
    victim.child.kill('SIGKILL');
    expect(await victim.exited).toEqual([null, 'SIGKILL']);
    for (const { exited } of processes.slice(0, -1)) expect(await exited).toEqual([0, null]);
    await manager.cleanup();
    await collector.finished;

    const next = expectExactlyOnceInOrder(collector.events, new Map(writers.slice(0, -1).map(({ id }) => [id, 10_000])));
    expect(next.get('victim')).toBeGreaterThanOrEqual(20);
    // The only thing allowed to go wrong is the victim's last, half-written line.
    expect(errors.filter((error) => error.kind !== 'tornLine' && error.kind !== 'incompleteLine')).toEqual([]);
    expect(errors.length).toBeLessThanOrEqual(1);
  });

  it('keeps up with rapid bursts and delivers them live, before any cleanup', async () => {
    const { manager, ipcPath, errors } = await setUp();
    const collector = new EventCollector(manager, checkChunk);
    const writers = Array.from({ length: 4 }, (_, i) => ({ id: `b${i}`, count: 1_000 }));
    for (let burst = 1; burst <= 5; burst += 1) {
      const processes = await startWriters(ipcPath, writers);
      await Promise.all(processes.map(({ exited }) => exited));
      await collector.count(burst * 4_000);
    }
    expect(collector.events).toHaveLength(20_000);
    expect(errors).toEqual([]);
  });

  it('delivers nothing of a line until its newline arrives, even seconds later', async () => {
    const { manager, ipcPath, errors } = await setUp();
    const collector = new EventCollector(manager);
    const line = `${JSON.stringify({ eventType: 'testFileStart', payload: { filePath: 'split.test.js' } })}\n`;
    const fd = openSync(ipcPath, 'a');
    try {
      writeSync(fd, line.slice(0, 20));
      // The reader has taken the first half in and holds it …
      await waitFor(() => manager.stats.heldBytes === 20, 'the first half to be read');
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(collector.events).toEqual([]);
      writeSync(fd, line.slice(20));
    } finally {
      closeSync(fd);
    }
    // … and delivers the event whole once the rest is written.
    await collector.count(1);
    expect(collector.events).toEqual([{ eventType: 'testFileStart', payload: { filePath: 'split.test.js' } }]);
    expect(errors).toEqual([]);
  });

  it('stops reading while the consumer is paused, and loses nothing of a file that keeps growing', async () => {
    const { manager, ipcPath, errors } = await setUp({ bufferSize: 50 });
    const iterator = manager.watchEvents();
    const processes = await startWriters(ipcPath, [{ id: 'grow', count: 20_000 }]);

    // Nobody consumes: the queue fills to its bound and reading stops there.
    await waitFor(() => manager.stats.queued === 50, 'the queue to fill');
    await processes[0]!.exited;
    const sizeWhilePaused = statSync(ipcPath).size;
    expect(manager.stats.queued).toBe(50);
    expect(manager.stats.position).toBeLessThan(sizeWhilePaused / 4);

    const collector = new EventCollector(manager, checkChunk);
    await collector.count(20_000);
    await manager.cleanup();
    await collector.finished;
    expectExactlyOnceInOrder(collector.events, new Map([['grow', 20_000]]));
    expect(iterator).toBe(manager.watchEvents());
    expect(errors).toEqual([]);
  });

  it('delivers everything when cleanup() is called right after the last write', async () => {
    const { manager, ipcPath, errors } = await setUp();
    const collector = new EventCollector(manager, checkChunk);
    const processes = await startWriters(ipcPath, [
      { id: 'c0', count: 3_000 },
      { id: 'c1', count: 3_000 },
    ]);
    await Promise.all(processes.map(({ exited }) => exited));
    await manager.cleanup();
    await collector.finished;
    expectExactlyOnceInOrder(
      collector.events,
      new Map([
        ['c0', 3_000],
        ['c1', 3_000],
      ]),
    );
    expect(errors).toEqual([]);
  });

  it('keeps lines whole with the lock on, across processes', async () => {
    const dir = mkdtempSync(join(tmpdir(), '3pio-locked-'));
    const path = join(dir, 'locked.jsonl');
    const processes = await startWriters(
      path,
      [0, 1, 2].map((i) => ({ id: `l${i}`, count: 300 })),
      { THREEPIO_IPC_LOCK: 'always' },
    );
    for (const { exited } of processes) expect(await exited).toEqual([0, null]);
    const parsed = readFileSync(path, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => parseLine(line));
    expect(parsed).toHaveLength(900);
    const chunks = parsed.map(({ event, problems }) => {
      expect(problems).toBeUndefined();
      return checkChunk(event!);
    });
    expect(chunks.every((chunk) => chunk.intact)).toBe(true);
    for (const id of ['l0', 'l1', 'l2']) {
      expect(chunks.filter((chunk) => chunk.writerId === id).map((chunk) => chunk.seq)).toEqual([...Array(300).keys()]);
    }
    rmSync(dir, { recursive: true, force: true });
  });
});
