/**
 * Where a test file's report goes inside the run directory, from the test file's path
 * as an event gave it. The mapping is injective (two test files never share a report:
 * lone surrogates and backslashes are encoded apart, over-long names and over-deep
 * paths are hashed; paths that differ only in case are told apart by RunState's
 * variants), deterministic (the same file always lands in the same place) and confined:
 * no segment can be `..`, absolute, or anything but a plain name, whatever the event says.
 */
import { createHash } from 'node:crypto';
import { isAbsolute, relative, sep } from 'node:path';

export const REPORTS_DIR = 'reports';
export const REPORT_FILE = 'index.md';
/** Where files outside the project go, so that they cannot shadow files inside it. */
const OUTSIDE_DIR = '%outside';
const MAX_SEGMENT_BYTES = 150;
/**
 * A report path longer or deeper than this (2,000 nested directories were seen) would
 * fail with ENAMETOOLONG: its middle is replaced by a hash, keeping its start and its
 * test file's name readable. PATH_MAX is 1,024 on macOS, and the run directory needs some.
 */
const MAX_PATH_BYTES = 640;
const MAX_DEPTH = 24;
const KEPT_LEADING_BYTES = 320;
const KEPT_LEADING_SEGMENTS = 12;

// Kept as is: letters, digits and a few punctuation marks safe on every file system.
const PLAIN = /^[A-Za-z0-9._@+-]$/;
// Names that would mean something else inside the reports tree: a report's own name
// included, `index.md` or, for the same test file in another run, `index.<n>.md`.
const isReserved = (segment: string): boolean =>
  segment === '' || segment === '.' || segment === '..' || /^index(\.\d+)?\.md$/.test(segment);

const hashOf = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

function encodeChar(char: string): string {
  if (PLAIN.test(char)) return char;
  // A lone surrogate has no UTF-8 form (it would become U+FFFD, like every other one): `%u` and its code.
  const code = char.charCodeAt(0);
  if (char.length === 1 && code >= 0xd800 && code <= 0xdfff) return `%u${code.toString(16).toUpperCase()}`;
  let encoded = '';
  for (const byte of Buffer.from(char, 'utf8')) encoded += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return encoded;
}

function encodeSegment(segment: string): string {
  let encoded = '';
  for (const char of segment) encoded += encodeChar(char);
  if (isReserved(segment)) encoded = encoded.replaceAll('.', '%2E') || '%';
  if (Buffer.byteLength(encoded) <= MAX_SEGMENT_BYTES) return encoded;
  // Too long for a file name: keep a readable prefix and make it unique with a hash.
  return `${encoded.slice(0, MAX_SEGMENT_BYTES - 18)}~${hashOf(segment)}`;
}

/**
 * The encoded segments, their middle hashed when too long or deep for a file system.
 * The hash takes a segment of its own that starts with `~`, which no encoded name does
 * (`~` is encoded), so a shortened path never equals a path kept whole.
 */
function shortened(encoded: string[], whole: string): string[] {
  const bytes = encoded.reduce((sum, segment) => sum + segment.length + 1, 0);
  if (encoded.length <= MAX_DEPTH && bytes <= MAX_PATH_BYTES) return encoded;
  const leading: string[] = [];
  let leadingBytes = 0;
  for (const segment of encoded.slice(0, -1)) {
    if (leading.length === KEPT_LEADING_SEGMENTS || leadingBytes + segment.length > KEPT_LEADING_BYTES) break;
    leading.push(segment);
    leadingBytes += segment.length + 1;
  }
  return [...leading, `~${hashOf(whole)}`, encoded.at(-1) ?? ''];
}

/** The segments of a test file's path as shown to people: relative to the project when inside it. */
export function displaySegments(filePath: string, projectRoot: string): { segments: string[]; outside: boolean } {
  // A backslash separates only on Windows; elsewhere it is part of a name (`a\\b` is not `a/b`).
  const normalized = sep === '\\' ? filePath.replaceAll('\\', '/') : filePath;
  if (isAbsolute(filePath)) {
    const rel = relative(projectRoot, filePath);
    if (rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel)) return { segments: rel.split(sep), outside: false };
    return { segments: normalized.split('/').filter((segment) => segment !== ''), outside: true };
  }
  return { segments: normalized.split('/'), outside: false };
}

/**
 * The report's path relative to the run directory, with `/` separators. `variant`: 0 for
 * the first run of the session that ran this test file; another run's report of the same
 * file goes beside it, `index.<variant + 1>.md`.
 */
export function reportPathFor(filePath: string, projectRoot: string, variant = 0): string {
  const { segments, outside } = displaySegments(filePath, projectRoot);
  const encoded = shortened(segments.map(encodeSegment), JSON.stringify([outside, ...segments]));
  const name = variant === 0 ? REPORT_FILE : REPORT_FILE.replace(/\.md$/, `.${variant + 1}.md`);
  return [REPORTS_DIR, ...(outside ? [OUTSIDE_DIR] : []), ...encoded, name].join('/');
}

/** How a test file is named in console lines and summaries. */
export function displayPath(filePath: string, projectRoot: string): string {
  const { segments, outside } = displaySegments(filePath, projectRoot);
  return outside ? filePath : segments.join('/');
}
