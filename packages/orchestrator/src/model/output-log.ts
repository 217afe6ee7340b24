/**
 * What a test file printed, kept for its report up to a bound: a report is for
 * reading, and everything stays in the run's ipc.jsonl and output.log anyway.
 */
export type Stream = 'stdout' | 'stderr';

export interface OutputChunk {
  stream: Stream;
  text: string;
  testName: string | undefined;
}

export const MAX_OUTPUT_CHARS_PER_FILE = 256 * 1024;

export class OutputLog {
  readonly chunks: OutputChunk[] = [];
  private kept = 0;
  /** Characters that did not fit. */
  omitted = 0;

  append(stream: Stream, text: string, testName: string | undefined): void {
    const room = MAX_OUTPUT_CHARS_PER_FILE - this.kept;
    if (room <= 0) {
      this.omitted += text.length;
      return;
    }
    const kept = text.length > room ? text.slice(0, room) : text;
    this.omitted += text.length - kept.length;
    this.kept += kept.length;
    const last = this.chunks.at(-1);
    // Consecutive writes to one stream for one test read as one block.
    if (last !== undefined && last.stream === stream && last.testName === testName) last.text += kept;
    else this.chunks.push({ stream, text: kept, testName });
  }

  get isEmpty(): boolean {
    return this.chunks.length === 0 && this.omitted === 0;
  }
}
