import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IpcWriter } from '../src/index.js';
import { createTestManager } from '../src/testing/index.js';
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

  it('is exported at the package subpath', async () => {
    const testing = await import('@3pio/ipc/testing');
    expect(typeof testing.createTestManager).toBe('function');
    expect(typeof testing.RecordingLogger).toBe('function');
  });
});
