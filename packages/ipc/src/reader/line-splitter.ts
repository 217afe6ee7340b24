/**
 * Turns the bytes of a growing file into lines. A line that has not met its newline
 * yet is kept for the next chunk; one that grows past `maxLineBytes` is dropped as it
 * arrives, but for its length and its last `maxLineBytes` bytes (where another
 * writer's whole event may follow a killed writer's half line), so memory stays
 * bounded whatever is written.
 */
const NEWLINE = 0x0a;
const EMPTY = Buffer.alloc(0);

export interface TooLongLine {
  offset: number;
  length: number;
  /** The line's last `maxLineBytes` bytes, decoded. */
  tail: string;
}

export class LineSplitter {
  private chunk: Buffer | undefined;
  private pos = 0;
  private chunkOffset = 0;
  /** The pieces of the line waiting for its newline, from `carryHead` on; of a line over the limit, only its end. */
  private carry: Buffer[] = [];
  private carryHead = 0;
  private carryHeld = 0;
  /** The length of that line so far. */
  private carryBytes = 0;
  private carryOffset = 0;
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

  /** Bytes kept in memory for a line still waiting for its newline. */
  get heldBytes(): number {
    return this.carryHeld;
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
    if (this.carryBytes > this.maxLineBytes)
      rest = { offset: this.carryOffset, length: this.carryBytes, tail: this.tailOf(this.heldPieces()) };
    else if (this.carryBytes > 0) rest = { text: Buffer.concat(this.heldPieces()).toString('utf8'), offset: this.carryOffset };
    this.chunk = undefined;
    this.dropCarry();
    this.nextChunkOffset = offset;
    return rest;
  }

  private hold(chunk: Buffer, start: number): void {
    if (start === chunk.length) return;
    if (this.carryBytes === 0) this.carryOffset = this.chunkOffset + start;
    const piece = chunk.subarray(start);
    this.carryBytes += piece.length;
    this.carry.push(piece);
    this.carryHeld += piece.length;
    if (this.carryBytes > this.maxLineBytes) this.keepOnlyTheEnd();
  }

  /** Lets go of the pieces that lie wholly before the line's last `maxLineBytes` bytes. */
  private keepOnlyTheEnd(): void {
    for (;;) {
      const first = this.carry[this.carryHead];
      if (first === undefined || this.carryHeld - first.length < this.maxLineBytes) break;
      this.carry[this.carryHead] = EMPTY;
      this.carryHead += 1;
      this.carryHeld -= first.length;
    }
    // Compacted now and then, so that a line of tiny chunks stays linear to drop.
    if (this.carryHead > 64 && this.carryHead * 2 > this.carry.length) {
      this.carry = this.carry.slice(this.carryHead);
      this.carryHead = 0;
    }
  }

  private heldPieces(): Buffer[] {
    return this.carryHead === 0 ? this.carry : this.carry.slice(this.carryHead);
  }

  private tailOf(pieces: Buffer[]): string {
    const end = Buffer.concat(pieces);
    return end.toString('utf8', Math.max(0, end.length - this.maxLineBytes));
  }

  private complete(chunk: Buffer, start: number, end: number): string | undefined {
    if (this.carryBytes === 0) {
      const length = end - start;
      this.lineOffset = this.chunkOffset + start;
      if (length <= this.maxLineBytes) return chunk.toString('utf8', start, end);
      this.onTooLong({ offset: this.lineOffset, length, tail: chunk.toString('utf8', end - this.maxLineBytes, end) });
      return undefined;
    }
    const length = this.carryBytes + (end - start);
    this.lineOffset = this.carryOffset;
    const pieces = [...this.heldPieces(), chunk.subarray(start, end)];
    this.dropCarry();
    if (length <= this.maxLineBytes) return Buffer.concat(pieces).toString('utf8');
    this.onTooLong({ offset: this.lineOffset, length, tail: this.tailOf(pieces) });
    return undefined;
  }

  private dropCarry(): void {
    this.carry = [];
    this.carryHead = 0;
    this.carryHeld = 0;
    this.carryBytes = 0;
  }
}
