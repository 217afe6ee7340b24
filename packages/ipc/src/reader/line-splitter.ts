/**
 * Turns the bytes of a growing file into lines. A line that has not met its newline
 * yet is kept for the next chunk; one that grows past `maxLineBytes` is dropped as it
 * arrives (only its length is kept), so memory stays bounded whatever is written.
 */
const NEWLINE = 0x0a;

export interface TooLongLine {
  offset: number;
  length: number;
}

export class LineSplitter {
  private chunk: Buffer | undefined;
  private pos = 0;
  private chunkOffset = 0;
  private carry: Buffer[] = [];
  private carryBytes = 0;
  private carryOffset = 0;
  private skipping = false;
  private nextChunkOffset: number;

  /** The offset of the line `next()` returned last. */
  lineOffset = 0;

  constructor(
    private readonly maxLineBytes: number,
    private readonly onTooLong: (line: TooLongLine) => void,
    startOffset = 0,
  ) {
    this.nextChunkOffset = startOffset;
  }

  /** True when every byte pushed so far has been split: push the next chunk. */
  get needsInput(): boolean {
    return this.chunk === undefined;
  }

  /** Bytes kept in memory for a line still waiting for its newline (none while one is being skipped). */
  get heldBytes(): number {
    return this.skipping ? 0 : this.carryBytes;
  }

  push(chunk: Buffer): void {
    if (this.chunk !== undefined) throw new Error('LineSplitter.push() before the previous chunk was split');
    this.chunk = chunk;
    this.pos = 0;
    this.chunkOffset = this.nextChunkOffset;
    this.nextChunkOffset += chunk.length;
  }

  /** The next complete line, without its newline, or undefined when more input is needed. */
  next(): string | undefined {
    for (;;) {
      const chunk = this.chunk;
      if (chunk === undefined) return undefined;
      const start = this.pos;
      const newline = chunk.indexOf(NEWLINE, start);
      if (newline === -1) {
        this.hold(chunk, start);
        this.chunk = undefined;
        return undefined;
      }
      this.pos = newline + 1;
      if (this.pos === chunk.length) this.chunk = undefined;
      const line = this.complete(chunk, start, newline);
      if (line !== undefined) return line;
    }
  }

  /**
   * Ends the current file (it was truncated, replaced, or the manager stops): returns
   * the partial line held, if any, and starts again at `offset`. Call it only once
   * `next()` has returned undefined, so that no complete line is thrown away.
   */
  reset(offset: number): { text: string; offset: number } | TooLongLine | undefined {
    if (this.chunk !== undefined) throw new Error('LineSplitter.reset() with complete lines still unread');
    let rest: { text: string; offset: number } | TooLongLine | undefined;
    if (this.skipping) rest = { offset: this.carryOffset, length: this.carryBytes };
    else if (this.carryBytes > 0) rest = { text: Buffer.concat(this.carry).toString('utf8'), offset: this.carryOffset };
    this.chunk = undefined;
    this.dropCarry();
    this.nextChunkOffset = offset;
    return rest;
  }

  private hold(chunk: Buffer, start: number): void {
    if (start === chunk.length) return;
    if (this.carryBytes === 0 && !this.skipping) this.carryOffset = this.chunkOffset + start;
    const piece = chunk.subarray(start);
    this.carryBytes += piece.length;
    if (this.skipping) return;
    if (this.carryBytes > this.maxLineBytes) {
      this.carry = [];
      this.skipping = true;
    } else {
      this.carry.push(piece);
    }
  }

  private complete(chunk: Buffer, start: number, end: number): string | undefined {
    if (this.carryBytes === 0) {
      const length = end - start;
      this.lineOffset = this.chunkOffset + start;
      if (length <= this.maxLineBytes) return chunk.toString('utf8', start, end);
      this.onTooLong({ offset: this.lineOffset, length });
      return undefined;
    }
    const length = this.carryBytes + (end - start);
    this.lineOffset = this.carryOffset;
    const skipped = this.skipping || length > this.maxLineBytes;
    const text = skipped ? undefined : Buffer.concat([...this.carry, chunk.subarray(start, end)]).toString('utf8');
    this.dropCarry();
    if (skipped) this.onTooLong({ offset: this.lineOffset, length });
    return text;
  }

  private dropCarry(): void {
    this.carry = [];
    this.carryBytes = 0;
    this.skipping = false;
  }
}
