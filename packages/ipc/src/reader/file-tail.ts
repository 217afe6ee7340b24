/**
 * The read position in the IPC file, kept on an open descriptor so that only new
 * bytes are ever read (seed §6), and the checks that notice when the file under the
 * path is no longer the one being read.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';

export type FileChange =
  | { kind: 'truncated'; size: number }
  | { kind: 'replaced' }
  | { kind: 'removed' };

export class FileTail {
  private fd: number;
  private ino: number;
  private removedReported = false;
  /** Kept between reads that find nothing new, so a poll at the end of the file allocates nothing. */
  private spare: Buffer | undefined;
  /** Bytes of the current file read so far. */
  position = 0;

  constructor(
    readonly path: string,
    private readonly chunkBytes: number,
  ) {
    this.fd = openSync(path, 'r');
    this.ino = fstatSync(this.fd).ino;
  }

  /** The next bytes after `position`, or undefined at the end of the file. */
  read(): Buffer | undefined {
    const chunk = this.spare ?? Buffer.allocUnsafe(this.chunkBytes);
    const bytes = readSync(this.fd, chunk, 0, chunk.length, this.position);
    if (bytes === 0) {
      this.spare = chunk;
      return undefined;
    }
    this.spare = undefined;
    this.position += bytes;
    return bytes === chunk.length ? chunk : chunk.subarray(0, bytes);
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
