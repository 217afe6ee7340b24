import { mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IpcWriter, parseLine, sendEvent, type KnownEvent } from '../src/index.js';
import { sharedFileSystemAt } from '../src/writer/filesystem.js';
import { useScratch } from './helpers.js';

const scratch = useScratch('3pio-writer-', ['THREEPIO_IPC_PATH', 'THREEPIO_IPC_LOCK']);

const event = (n: number): KnownEvent => ({ eventType: 'testCase', payload: { filePath: 'a.test.js', testName: `t${n}`, status: 'PASS' } });

function readEvents(path: string) {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => parseLine(line));
}

function descriptorsOpenOn(path: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false;
    }
  }).length;
}

describe('IpcWriter', () => {
  it('creates a missing directory (0700) and file (0600) and appends one line per event', () => {
    const path = join(scratch.dir, 'deep', 'er', 'ipc.jsonl');
    const writer = new IpcWriter(path);
    for (let n = 0; n < 3; n += 1) writer.write(event(n));
    writer.close();
    expect(statSync(join(scratch.dir, 'deep', 'er')).mode & 0o777).toBe(0o700);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const parsed = readEvents(path);
    expect(parsed.map((p) => p.problems)).toEqual([undefined, undefined, undefined]);
    expect(parsed.map((p) => (p.event?.eventType === 'testCase' ? p.event.payload.testName : ''))).toEqual(['t0', 't1', 't2']);
  });

  it('appends to an existing file without truncating it', () => {
    const path = join(scratch.dir, 'ipc.jsonl');
    writeFileSync(path, `${JSON.stringify(event(0))}\n`);
    const writer = new IpcWriter(path);
    writer.write(event(1));
    writer.close();
    expect(readEvents(path)).toHaveLength(2);
  });

  it('keeps one descriptor open between events instead of reopening the file', () => {
    const path = join(scratch.dir, 'ipc.jsonl');
    const writer = new IpcWriter(path);
    expect(descriptorsOpenOn(path)).toBe(0);
    for (let n = 0; n < 100; n += 1) writer.write(event(n));
    expect(descriptorsOpenOn(path)).toBe(1);
    writer.close();
    expect(descriptorsOpenOn(path)).toBe(0);
    expect(readEvents(path)).toHaveLength(100);
  });

  it('does not lock on a local file system, and locks when told to', () => {
    expect(sharedFileSystemAt(scratch.dir)).toBeUndefined();
    const local = new IpcWriter(join(scratch.dir, 'a.jsonl'));
    local.write(event(0));
    expect(local.usesLock).toBe(false);

    process.env.THREEPIO_IPC_LOCK = 'always';
    const path = join(scratch.dir, 'b.jsonl');
    const locked = new IpcWriter(path);
    locked.write(event(0));
    expect(locked.usesLock).toBe(true);
    // The lock is released after each event.
    expect(() => statSync(`${path}.lock`)).toThrow(/ENOENT/);
    expect(readEvents(path)).toHaveLength(1);

    expect(new IpcWriter(join(scratch.dir, 'c.jsonl'), { lock: 'never' }).usesLock).toBe(false);
  });

  it('waits for a lock held by someone else, then gives up with a clear error', () => {
    const path = join(scratch.dir, 'ipc.jsonl');
    mkdirSync(`${path}.lock`);
    const writer = new IpcWriter(path, { lock: 'always', lockTimeoutMs: 50 });
    expect(() => writer.write(event(0))).toThrow(/Timed out after 50 ms waiting for the lock on .*ipc\.jsonl.*remove .*ipc\.jsonl\.lock/);
    rmSync(`${path}.lock`, { recursive: true });
    writer.write(event(1));
    expect(readEvents(path)).toHaveLength(1);
  });

  it('refuses an unknown THREEPIO_IPC_LOCK value', () => {
    process.env.THREEPIO_IPC_LOCK = 'sometimes';
    expect(() => new IpcWriter(join(scratch.dir, 'x.jsonl'))).toThrow(/THREEPIO_IPC_LOCK must be auto, always or never; got "sometimes"/);
  });

  it('says what failed when the directory cannot be created', () => {
    writeFileSync(join(scratch.dir, 'file'), '');
    expect(() => new IpcWriter(join(scratch.dir, 'file', 'ipc.jsonl')).write(event(0))).toThrow(
      /Cannot open the IPC file .*file\/ipc\.jsonl for appending \(EEXIST.*\)\. It must be a file path/,
    );
  });
});

describe('sendEvent', () => {
  it('names THREEPIO_IPC_PATH when it is not set', () => {
    delete process.env.THREEPIO_IPC_PATH;
    expect(() => sendEvent(event(0))).toThrow(/THREEPIO_IPC_PATH is not set/);
  });

  it('writes to the file THREEPIO_IPC_PATH names, following it when it changes', () => {
    process.env.THREEPIO_IPC_PATH = join(scratch.dir, 'one.jsonl');
    sendEvent(event(0));
    sendEvent(event(1));
    process.env.THREEPIO_IPC_PATH = join(scratch.dir, 'two.jsonl');
    sendEvent(event(2));
    expect(readEvents(join(scratch.dir, 'one.jsonl'))).toHaveLength(2);
    expect(readEvents(join(scratch.dir, 'two.jsonl'))).toHaveLength(1);
  });
});
