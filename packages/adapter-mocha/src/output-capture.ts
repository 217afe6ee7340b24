/**
 * Sees what the tests print: wraps process.stdout.write and process.stderr.write,
 * passes every call through unchanged (same arguments, same return value, same
 * exceptions) and reports a copy of the text. Mocha captures nothing itself (§3.4).
 */
export type OutputStream = 'stdout' | 'stderr';
export type ChunkListener = (stream: OutputStream, text: string) => void;

type Write = NodeJS.WriteStream['write'];

function textOf(chunk: unknown, encoding: unknown): string {
  if (typeof chunk === 'string') {
    return typeof encoding === 'string' && encoding !== 'utf8' && encoding !== 'utf-8' && Buffer.isEncoding(encoding)
      ? Buffer.from(chunk, encoding).toString('utf8')
      : chunk;
  }
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8');
  return String(chunk);
}

/** True while what is written is not the tests' output (a reporter printing): checked before any other work. */
export type MutedCheck = () => boolean;

function wrap(stream: NodeJS.WriteStream, name: OutputStream, listener: ChunkListener, isMuted: MutedCheck): () => void {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called with the stream as `this` (apply below)
  const original = stream.write;
  let active = true;
  const wrapped = function (this: unknown, ...args: unknown[]): boolean {
    const result = (original as (...a: unknown[]) => boolean).apply(this, args);
    if (active && !isMuted()) {
      try {
        listener(name, textOf(args[0], args[1]));
      } catch {
        // The copy is best effort; the user's output has already gone through.
      }
    }
    return result;
  } as Write;
  stream.write = wrapped;
  return () => {
    active = false;
    // Someone wrapped on top of us: leave the chain intact, ours is now a pass-through.
    if (stream.write === wrapped) stream.write = original;
  };
}

/** Starts capturing; the returned function stops it. */
export function captureOutput(listener: ChunkListener, isMuted: MutedCheck = () => false): () => void {
  const restoreStdout = wrap(process.stdout, 'stdout', listener, isMuted);
  const restoreStderr = wrap(process.stderr, 'stderr', listener, isMuted);
  return () => {
    restoreStdout();
    restoreStderr();
  };
}
