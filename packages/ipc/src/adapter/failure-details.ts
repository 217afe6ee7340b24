/**
 * Turns whatever a runner reports as a failure into FailureDetails: plain strings,
 * ANSI escapes stripped, expected/actual rendered, and the location in the test file
 * taken from the stack.
 */
import { isAbsolute, resolve } from 'node:path';
import { inspect, stripVTControlCharacters } from 'node:util';
import type { FailureDetails, SourceLocation } from '../events/schemas.js';
import { cutPoint } from './text-cut.js';

export const stripAnsi = stripVTControlCharacters;

/**
 * The most of one text of a failure (message, stack, expected, actual, diff) an event
 * keeps. A failure is one line, and the reader skips a line over 8 MiB: a test that
 * threw a 3 MB message, or compared two 2 MB strings, must not be lost whole. The
 * runner's own output, which 3pio keeps, still has all of it.
 */
export const MAX_FAILURE_TEXT_CHARS = 100_000;

/** `text` cut to MAX_FAILURE_TEXT_CHARS, never inside a surrogate pair, saying how much is left out. */
export function capFailureText(text: string): string {
  if (text.length <= MAX_FAILURE_TEXT_CHARS) return text;
  const end = cutPoint(text, MAX_FAILURE_TEXT_CHARS);
  return `${text.slice(0, end)}\n… [3pio: ${text.length - end} more characters left out; the runner's output has them all]`;
}

/** Renders an expected/actual value the way a reader wants to see it. */
export function renderValue(value: unknown): string {
  return typeof value === 'string' ? value : inspect(value, { depth: 6, colors: false, breakLength: 100, maxStringLength: 10_000 });
}

// A frame names its place `at fn (/abs/file.js:12:5)` when it names a function, else
// `at /abs/file.js:12:5` or `at async /abs/file.js:12:5` (also `file:///…` URLs, Windows
// paths, and `fn@place` in other engines' stacks). The place may itself hold parentheses
// (a folder "project (copy)"): only the parenthesis after the function's name opens it,
// and only a named frame ends in one.
const NAMED_FRAME = /^at .*? \((.+):(\d+):(\d+)\)$/;
const BARE_FRAME = /^at (?:async )?(.+):(\d+):(\d+)$/;
const AT_SIGN_FRAME = /^[^\s@]*@(.+):(\d+):(\d+)$/;

/** The place a stack line names, if it names one in a file (not `eval at …`, `<anonymous>`, `native`). */
function placeOf(line: string): [path: string, line: string, column: string] | undefined {
  const [, path, row, column] = NAMED_FRAME.exec(line) ?? BARE_FRAME.exec(line) ?? AT_SIGN_FRAME.exec(line) ?? [];
  if (path === undefined || row === undefined || column === undefined || /[<>]/.test(path)) return undefined;
  return [path, row, column];
}

/** A stack frame's place: always with a file. */
export type FileFrame = SourceLocation & { file: string };

/** The frames of a stack, with file URLs turned into paths and relative paths made absolute. */
function framesOf(stack: string): FileFrame[] {
  const frames: FileFrame[] = [];
  for (const text of stack.split('\n')) {
    const place = placeOf(text.trim());
    if (place === undefined) continue;
    const [path, line, column] = place;
    let file = path;
    if (file.startsWith('file://')) file = decodeURIComponent(file.slice('file://'.length));
    // Mocha shortens stack paths to the working directory (`at Context.<anonymous> (test/a.spec.js:3:11)`).
    else if (!isAbsolute(file) && !file.startsWith('node:')) file = resolve(file);
    frames.push({ file, line: Number(line), column: Number(column) });
  }
  return frames;
}

/**
 * The stack frame in `testFile` if there is one, else the first frame outside
 * node_modules and Node's internals.
 */
export function locationFromStack(stack: string | undefined, testFile?: string): SourceLocation | undefined {
  if (!stack) return undefined;
  return locationFromFrames(framesOf(stripAnsi(stack)), testFile);
}

/**
 * Of a stack's frames, outermost last (parsed here or by the runner), the one in
 * `testFile` if there is one, else the first outside node_modules and Node's internals.
 */
export function locationFromFrames(frames: readonly FileFrame[], testFile?: string): SourceLocation | undefined {
  return (
    (testFile === undefined ? undefined : frames.find((frame) => frame.file === testFile)) ??
    frames.find((frame) => !frame.file.includes('node_modules') && !frame.file.startsWith('node:'))
  );
}

interface ErrorLike {
  message?: unknown;
  stack?: unknown;
  expected?: unknown;
  actual?: unknown;
  diff?: unknown;
  showDiff?: unknown;
}

const MAX_THROWN_CHARS = 2000;

/**
 * The message of a thrown object that has no string message: its own toString if it
 * has one, else a short rendering of it (a thrown HTTP response must not become a
 * message of megabytes), never "[object Object]".
 */
function messageOfThrown(thrown: object): string {
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- an Error's or the object's own toString, not Object's
  if (thrown instanceof Error || thrown.toString !== Object.prototype.toString) return String(thrown);
  const text = inspect(thrown, { depth: 2, colors: false, breakLength: Infinity, maxArrayLength: 20, maxStringLength: 200 });
  return text.length > MAX_THROWN_CHARS ? `${text.slice(0, MAX_THROWN_CHARS)}…` : text;
}

/** FailureDetails from an Error (or anything thrown), for a failure in `testFile`. */
export function failureFromError(error: unknown, testFile?: string): FailureDetails {
  if (typeof error !== 'object' || error === null) return { message: stripAnsi(String(error)) };
  const e = error as ErrorLike;
  const message = capFailureText(stripAnsi(typeof e.message === 'string' ? e.message : messageOfThrown(error)));
  const details: FailureDetails = { message };
  // The location is read from the whole stack, before it is capped.
  const stack = typeof e.stack === 'string' ? stripAnsi(e.stack) : undefined;
  if (stack !== undefined) details.stack = capFailureText(stack);
  // Mocha marks assertion errors whose values mean nothing with showDiff: false.
  if (e.showDiff !== false && ('expected' in e || 'actual' in e)) {
    if ('expected' in e) details.expected = capFailureText(stripAnsi(renderValue(e.expected)));
    if ('actual' in e) details.actual = capFailureText(stripAnsi(renderValue(e.actual)));
  }
  if (typeof e.diff === 'string' && e.diff.length > 0) details.diff = capFailureText(stripAnsi(e.diff));
  const location = locationFromStack(stack, testFile);
  if (location !== undefined) details.location = location;
  return details;
}
