/**
 * The read position in the IPC file, kept on an open descriptor so that only new
 * bytes are ever read (seed §6), and the checks that notice when the file under the
 * path is no longer the one being read.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';

export type FileChange = { kind: 'truncated'; size: number } | { kind: 'replaced' } | { kind: 'removed' };

export class FileTail {
  private fd: number;
  private ino: number;
  private removedReported = false;
  /**
   * Every read lands here first. A live file mostly grows by a few hundred bytes at a
   * time: those are copied out, and the buffer is reused; only a read that fills most of
   * it hands the buffer itself over. A new 256 KiB buffer per small read made the
   * orchestrator spend more time in GC than in parsing.
   */
  private scratch: Buffer;
  /** Bytes of the current file read so far. */
  position = 0;

  constructor(
    readonly path: string,
    private readonly chunkBytes: number,
  ) {
    this.fd = openSync(path, 'r');
    this.ino = fstatSync(this.fd).ino;
    this.scratch = Buffer.allocUnsafe(chunkBytes);
  }

  /** The next bytes after `position`, or undefined at the end of the file. */
  read(): Buffer | undefined {
    const bytes = readSync(this.fd, this.scratch, 0, this.chunkBytes, this.position);
    if (bytes === 0) return undefined;
    this.position += bytes;
    if (bytes < this.chunkBytes / 2) return Buffer.from(this.scratch.subarray(0, bytes));
    const chunk = this.scratch.subarray(0, bytes);
    this.scratch = Buffer.allocUnsafe(this.chunkBytes);
    return chunk;
  }

  /** Called at the end of the file: has the file shrunk, or been replaced or removed? */
  check(): FileChange | undefined {
    const size = fstatSync(this.fd).size;
    if (size < this.position) return { kind: 'truncated', size };
    let ino: number;
    try {
      ino = statSync(this.path).ino;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || this.removedReported) return undefined;
      this.removedReported = true;
      return { kind: 'removed' };
    }
    this.removedReported = false;
    return ino === this.ino ? undefined : { kind: 'replaced' };
  }

  /** Starts again at the beginning of the file now at the path. */
  reopen(): void {
    closeSync(this.fd);
    this.fd = openSync(this.path, 'r');
    this.ino = fstatSync(this.fd).ino;
    this.position = 0;
  }

  rewind(): void {
    this.position = 0;
  }

  close(): void {
    closeSync(this.fd);
  }
}
