import { appendFileSync, mkdirSync, renameSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IpcManager, IpcWriter, serializeEvent, type FileWatcherHandlers, type KnownEvent, type WatcherFactory } from '../src/index.js';
import { EventCollector, useTestManager, waitFor } from './helpers.js';

const setUp = useTestManager();

const start = (filePath: string): KnownEvent => ({ eventType: 'testFileStart', timestamp: 1, payload: { filePath } });
const files = (events: unknown[]) => events.map((event) => (event as { payload: { filePath?: string } }).payload.filePath);

describe('IpcManager.create', () => {
  it('creates the directory (0700) and the file (0600)', async () => {
    const { ipcPath } = await setUp();
    expect(statSync(join(ipcPath, '..')).mode & 0o777).toBe(0o700);
    expect(statSync(ipcPath).mode & 0o777).toBe(0o600);
    expect(statSync(ipcPath).size).toBe(0);
  });

  it('never truncates an existing file: its events are delivered', async () => {
    const { dir } = await setUp();
    const path = join(dir, 'existing.jsonl');
    writeFileSync(path, serializeEvent(start('old.test.js')));
    const manager = await IpcManager.create(path);
    const collector = new EventCollector(manager);
    await manager.cleanup();
    await collector.finished;
    expect(files(collector.events)).toEqual(['old.test.js']);
  });

  it('explains what went wrong when the path cannot be a file', async () => {
    const { dir } = await setUp();
    writeFileSync(join(dir, 'plain'), '');
    await expect(IpcManager.create(join(dir, 'plain', 'ipc.jsonl'))).rejects.toThrow(/Cannot create the IPC file .*plain\/ipc\.jsonl: /);
    mkdirSync(join(dir, 'a-dir'));
    await expect(IpcManager.create(join(dir, 'a-dir'))).rejects.toThrow(/Cannot create the IPC file .*a-dir: EISDIR/);
  });

  it('refuses nonsensical options', async () => {
    const { dir } = await setUp();
    await expect(IpcManager.create(join(dir, 'x'), { bufferSize: 0 })).rejects.toThrow(/bufferSize must be a positive integer; got 0/);
    await expect(IpcManager.create(join(dir, 'x'), { maxLineBytes: 1.5 })).rejects.toThrow(/maxLineBytes/);
  });
});

describe('watchEvents', () => {
  it('delivers what was there before and what comes after, in file order', async () => {
    const { manager, writer, logger } = await setUp();
    writer.write(start('a'));
    const collector = new EventCollector(manager);
    await collector.count(1);
    writer.write(start('b'));
    writer.write(start('c'));
    await collector.count(3);
    expect(files(collector.events)).toEqual(['a', 'b', 'c']);
    expect(collector.events[0]).toEqual(start('a'));
    expect(manager.watchEvents()).toBe(manager.watchEvents());
    expect(manager.stats).toMatchObject({ eventsDelivered: 3, linesRead: 3, errors: 0 });
    expect(logger.messages('debug').some((message) => message.startsWith('IPC manager ready on'))).toBe(true);
  });

  it('reports invalid lines with their offset, skips them, and goes on', async () => {
    const { manager, ipcPath, writer, errors, logger } = await setUp();
    writer.write(start('a'));
    const offset = statSync(ipcPath).size;
    appendFileSync(ipcPath, 'not json\n\n   \n[1]\n');
    writer.write(start('b'));
    const collector = new EventCollector(manager);
    await collector.count(2);
    expect(files(collector.events)).toEqual(['a', 'b']);
    expect(errors.map(({ kind, offset: at }) => ({ kind, at }))).toEqual([
      { kind: 'invalidJson', at: offset },
      { kind: 'invalidEvent', at: offset + 14 },
    ]);
    expect(logger.messages('warn')[0]).toMatch(/IPC invalidJson at byte \d+ of .*test\.jsonl: .*"not json"/);
  });

  it('delivers unknown and partly invalid events instead of dropping them', async () => {
    const { manager, ipcPath, errors } = await setUp();
    appendFileSync(ipcPath, '{"eventType":"coverage","payload":{"pct":91}}\n');
    appendFileSync(ipcPath, '{"eventType":"testCase","payload":{"filePath":"a","testName":"t","status":"PASS","duration":"fast"}}\n');
    const collector = new EventCollector(manager);
    await collector.count(2);
    expect(collector.events).toEqual([
      { eventType: 'unknown', originalEventType: 'coverage', reason: 'unknownEventType', payload: { pct: 91 } },
      { eventType: 'testCase', payload: { filePath: 'a', testName: 't', status: 'PASS' } },
    ]);
    expect(errors.map((error) => error.kind)).toEqual(['invalidPayload']);
  });

  it('skips a line over maxLineBytes without holding it, and delivers the next', async () => {
    const { manager, ipcPath, writer, errors } = await setUp({ maxLineBytes: 4096 });
    const collector = new EventCollector(manager);
    writer.write(start('before'));
    await collector.count(1);
    const offset = statSync(ipcPath).size;
    for (let i = 0; i < 64; i += 1) appendFileSync(ipcPath, 'x'.repeat(4096));
    appendFileSync(ipcPath, '\n');
    writer.write(start('after'));
    await collector.count(2);
    expect(files(collector.events)).toEqual(['before', 'after']);
    expect(errors).toEqual([{ kind: 'lineTooLong', offset, message: 'skipped a line of 262144 bytes, over the 4096-byte limit' }]);
  });

  it('delivers the whole event glued to the end of an over-long half line', async () => {
    const { manager, ipcPath, writer, errors } = await setUp({ maxLineBytes: 4096 });
    const collector = new EventCollector(manager);
    const offset = statSync(ipcPath).size;
    // A killed writer's unfinished event starts, 64 KiB of them, then another writer's line.
    for (let i = 0; i < 64; i += 1) appendFileSync(ipcPath, '{"eventType":'.repeat(78).padEnd(1024, 'x'));
    writer.write(start('glued'));
    writer.write(start('after'));
    await collector.count(2);
    expect(files(collector.events)).toEqual(['glued', 'after']);
    expect(errors).toEqual([
      {
        kind: 'lineTooLong',
        offset,
        message: `skipped a line of ${64 * 1024 + serializeEvent(start('glued')).length - 1} bytes, over the 4096-byte limit, but for the whole testFileStart event at its end, which was delivered`,
      },
    ]);
  });

  it('detects a truncated file and reads it again from its start', async () => {
    const { manager, ipcPath, writer, errors } = await setUp();
    const collector = new EventCollector(manager);
    writer.write(start('a'));
    writer.write(start('b'));
    await collector.count(2);
    truncateSync(ipcPath, 0);
    await waitFor(() => errors.length > 0, 'the truncation to be noticed');
    writer.write(start('c'));
    await collector.count(3);
    expect(files(collector.events)).toEqual(['a', 'b', 'c']);
    expect(errors.map((error) => error.kind)).toEqual(['truncated']);
  });

  it('follows a file replaced under its path, after reading the old one to its end', async () => {
    const { manager, ipcPath, dir, writer, errors } = await setUp();
    const collector = new EventCollector(manager);
    writer.write(start('old-1'));
    await collector.count(1);
    writer.write(start('old-2'));
    writeFileSync(join(dir, 'next.jsonl'), serializeEvent(start('new-1')));
    renameSync(join(dir, 'next.jsonl'), ipcPath);
    await collector.count(3);
    expect(files(collector.events)).toEqual(['old-1', 'old-2', 'new-1']);
    expect(errors.map((error) => error.kind)).toEqual(['replaced']);
  });

  it('reports a removed file once, and picks up a new one at the path', async () => {
    const { manager, ipcPath, errors } = await setUp();
    const collector = new EventCollector(manager);
    unlinkSync(ipcPath);
    await waitFor(() => errors.length > 0, 'the removal to be noticed');
    writeFileSync(ipcPath, serializeEvent(start('again')));
    await collector.count(1);
    expect(files(collector.events)).toEqual(['again']);
    expect(errors.map((error) => error.kind)).toEqual(['removed', 'replaced']);
  });

  it('survives an error listener that throws', async () => {
    const { manager, ipcPath, writer, logger } = await setUp();
    manager.onError(() => {
      throw new Error('listener bug');
    });
    appendFileSync(ipcPath, 'bad\n');
    writer.write(start('a'));
    const collector = new EventCollector(manager);
    await collector.count(1);
    expect(logger.messages('error')).toEqual(['IPC error listener threw: listener bug']);
  });
});

describe('cleanup', () => {
  it('delivers a last line that lacks only its newline', async () => {
    const { manager, ipcPath, errors } = await setUp();
    appendFileSync(ipcPath, serializeEvent(start('a')).trimEnd());
    const collector = new EventCollector(manager);
    await manager.cleanup();
    await collector.finished;
    expect(files(collector.events)).toEqual(['a']);
    expect(errors).toEqual([]);
  });

  it('reports a last line cut in the middle as incomplete', async () => {
    const { manager, ipcPath, writer, errors } = await setUp();
    writer.write(start('a'));
    const offset = statSync(ipcPath).size;
    appendFileSync(ipcPath, serializeEvent(start('b')).slice(0, 25));
    const collector = new EventCollector(manager);
    await manager.cleanup();
    await collector.finished;
    expect(files(collector.events)).toEqual(['a']);
    expect(errors).toEqual([
      { kind: 'incompleteLine', offset, message: expect.stringContaining('the file ended in the middle of a line (25 bytes') },
    ]);
  });

  it('is idempotent, works without a consumer, and forbids watching afterwards', async () => {
    const { manager } = await setUp();
    const first = manager.cleanup();
    expect(manager.cleanup()).toBe(first);
    await first;
    expect(() => manager.watchEvents()).toThrow(/was cleaned up/);
  });

  it('resolves when the consumer stops iterating early', async () => {
    const { manager, writer } = await setUp({ bufferSize: 2 });
    for (let i = 0; i < 10; i += 1) writer.write(start(`f${i}`));
    const seen: string[] = [];
    for await (const event of manager.watchEvents()) {
      seen.push(files([event])[0]!);
      if (seen.length === 3) break;
    }
    await manager.cleanup();
    expect(seen).toEqual(['f0', 'f1', 'f2']);
  });
});

describe('file watching', () => {
  it('uses native notifications by default, and chokidar polling when asked', async () => {
    const native = await setUp();
    const nativeEvents = new EventCollector(native.manager);
    expect(await native.manager.watcherReady()).toBe('native');
    native.writer.write(start('n'));
    await nativeEvents.count(1);

    const { dir } = native;
    const polling = await IpcManager.create(join(dir, 'polling.jsonl'), { usePolling: true });
    const pollingEvents = new EventCollector(polling);
    expect(await polling.watcherReady()).toBe('polling');
    new IpcWriter(join(dir, 'polling.jsonl')).write(start('p'));
    await pollingEvents.count(1);
    await polling.cleanup();
    expect(files(pollingEvents.events)).toEqual(['p']);
  });

  it('falls back to polling when the native watcher cannot start, then to the poll timer alone', async () => {
    const attempts: boolean[] = [];
    const failing: WatcherFactory = async (_path, usePolling) => {
      attempts.push(usePolling);
      throw Object.assign(new Error('ENOSPC: System limit for number of file watchers reached'), { code: 'ENOSPC' });
    };
    const { manager, writer, errors, logger } = await setUp({ watcherFactory: failing, pollIntervalMs: 20 });
    const collector = new EventCollector(manager);
    expect(await manager.watcherReady()).toBe('none');
    expect(attempts).toEqual([false, true]);
    expect(errors.map((error) => error.kind)).toEqual(['watcher', 'watcher']);
    expect(logger.messages('warn').at(-1)).toMatch(/new events are found by the 20 ms poll only/);
    // The safety net alone still delivers.
    writer.write(start('still'));
    await collector.count(1);
  });

  it('restarts a watcher that fails, and moves to polling after repeated failures', async () => {
    const started: { usePolling: boolean; handlers: FileWatcherHandlers; closed: boolean }[] = [];
    const fake: WatcherFactory = async (_path, usePolling, handlers) => {
      const watcher = { usePolling, handlers, closed: false };
      started.push(watcher);
      return {
        close: async () => {
          watcher.closed = true;
        },
      };
    };
    const { manager, writer } = await setUp({ watcherFactory: fake, pollIntervalMs: 60_000 });
    const collector = new EventCollector(manager);
    expect(await manager.watcherReady()).toBe('native');
    for (let failure = 1; failure <= 3; failure += 1) {
      started.at(-1)!.handlers.onError(new Error(`inotify broke ${failure}`));
      await manager.watcherReady();
    }
    expect(started.map((watcher) => [watcher.usePolling, watcher.closed])).toEqual([
      [false, true],
      [false, true],
      [false, true],
      [true, false],
    ]);
    expect(manager.stats).toMatchObject({ watcher: 'polling', watcherRestarts: 3 });
    // A notification from the current watcher makes the manager read.
    writer.write(start('x'));
    started.at(-1)!.handlers.onChange();
    await collector.count(1);
  });

  it('ignores a late notification from a watcher that is closing', async () => {
    let handlers: FileWatcherHandlers | undefined;
    const lingering: WatcherFactory = async (_path, _usePolling, given) => {
      handlers = given;
      return { close: async () => undefined };
    };
    const { manager, writer, errors } = await setUp({ watcherFactory: lingering });
    const collector = new EventCollector(manager);
    await manager.watcherReady();
    await manager.cleanup();
    await collector.finished;
    writer.write(start('late'));
    handlers!.onChange();
    expect(errors).toEqual([]);
    expect(collector.events).toEqual([]);
  });

  it('finds new lines with the poll timer when notifications never come', async () => {
    const silent: WatcherFactory = async () => ({ close: async () => undefined });
    const { manager, writer } = await setUp({ watcherFactory: silent, pollIntervalMs: 20 });
    const collector = new EventCollector(manager);
    await manager.watcherReady();
    writer.write(start('polled'));
    await collector.count(1);
    expect(files(collector.events)).toEqual(['polled']);
  });
});
