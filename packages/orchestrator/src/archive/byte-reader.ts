/**
 * Reads a stream of chunks (what gunzip gives, about 16 KiB each) in the pieces a tar
 * reader wants: a 512-byte header, then a file's contents a chunk at a time. Never holds
 * more than the chunk it is in, so a 100 MB file passes through in bounded memory.
 */
export class ByteReader {
  private chunk: Buffer = Buffer.alloc(0);
  private offset = 0;
  /** Bytes handed out so far: where the reader is in the archive, for messages. */
  position = 0;

  constructor(private readonly source: AsyncIterator<Buffer>) {}

  /** Up to `max` bytes (at least one); an empty buffer at the end of the stream. */
  async take(max: number): Promise<Buffer> {
    while (this.offset >= this.chunk.length) {
      const next = await this.source.next();
      if (next.done === true) return Buffer.alloc(0);
      this.chunk = next.value;
      this.offset = 0;
    }
    const end = Math.min(this.chunk.length, this.offset + max);
    const piece = this.chunk.subarray(this.offset, end);
    this.offset = end;
    this.position += piece.length;
    return piece;
  }

  /** `length` bytes, or fewer when the stream ends first. */
  async exactly(length: number): Promise<Buffer> {
    const pieces: Buffer[] = [];
    let got = 0;
    while (got < length) {
      const piece = await this.take(length - got);
      if (piece.length === 0) break;
      pieces.push(piece);
      got += piece.length;
    }
    return pieces.length === 1 ? (pieces[0] ?? Buffer.alloc(0)) : Buffer.concat(pieces);
  }

  /** Reads to the end, keeping nothing: gunzip checks its CRC there, so a damaged end is still caught. */
  async drain(): Promise<void> {
    while ((await this.take(Number.MAX_SAFE_INTEGER)).length > 0);
  }
}
