import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IpcWriter } from '../src/index.js';
import { createTestManager, readAllEvents } from '../src/testing/index.js';
import { EventCollector } from './helpers.js';

describe('@3pio/ipc/testing', () => {
  it('gives a manager on a fresh directory with a recording logger, and removes it all on cleanup', async () => {
    const { manager, ipcPath, dir, logger, cleanup } = await createTestManager();
    expect(ipcPath.startsWith(dir)).toBe(true);
    expect(existsSync(ipcPath)).toBe(true);
    const collector = new EventCollector(manager);
    new IpcWriter(ipcPath).write({ eventType: 'testFileStart', payload: { filePath: 'a' } });
    await collector.count(1);
    expect(logger.messages('debug')[0]).toBe(`IPC manager ready on ${ipcPath}`);
    await cleanup();
    await collector.finished;
    expect(existsSync(dir)).toBe(false);
  });

  it('reads every event of a finished file, with the read errors', async () => {
    const { dir, ipcPath, cleanup } = await createTestManager();
    const path = join(dir, 'finished.jsonl');
    const writer = new IpcWriter(path);
    writer.write({ eventType: 'testFileStart', payload: { filePath: 'a' } });
    appendFileSync(path, 'oops\n');
    writer.write({ eventType: 'testFileStart', payload: { filePath: 'b' } });
    const { events, errors } = await readAllEvents(path);
    expect(events.map((event) => (event.eventType === 'testFileStart' ? event.payload.filePath : ''))).toEqual(['a', 'b']);
    expect(errors.map((error) => error.kind)).toEqual(['invalidJson']);
    expect(ipcPath).not.toBe(path);
    await cleanup();
  });

  it('is exported at the package subpath', async () => {
    const testing = await import('@3pio/ipc/testing');
    expect(typeof testing.createTestManager).toBe('function');
    expect(typeof testing.RecordingLogger).toBe('function');
  });
});
