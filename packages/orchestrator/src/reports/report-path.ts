/**
 * Where a test file's report goes inside the run directory, from the test file's path
 * as an event gave it. The mapping is injective (two test files never share a report),
 * deterministic (the same file always lands in the same place) and confined: no
 * segment can be `..`, absolute, or anything but a plain name, whatever the event says.
 */
import { createHash } from 'node:crypto';
import { isAbsolute, relative, sep } from 'node:path';

export const REPORTS_DIR = 'reports';
export const REPORT_FILE = 'index.md';
/** Where files outside the project go, so that they cannot shadow files inside it. */
const OUTSIDE_DIR = '%outside';
const MAX_SEGMENT_BYTES = 150;

// Kept as is: letters, digits and a few punctuation marks safe on every file system.
const PLAIN = /^[A-Za-z0-9._@+-]$/;
// Names that would mean something else inside the reports tree: a report's own name
// included, `index.md` or, for the same test file in another run, `index.<n>.md`.
const isReserved = (segment: string): boolean =>
  segment === '' || segment === '.' || segment === '..' || /^index(\.\d+)?\.md$/.test(segment);

function encodeSegment(segment: string): string {
  let encoded = '';
  for (const char of segment) {
    encoded += PLAIN.test(char)
      ? char
      : [...Buffer.from(char, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  if (isReserved(segment)) encoded = encoded.replaceAll('.', '%2E') || '%';
  if (Buffer.byteLength(encoded) <= MAX_SEGMENT_BYTES) return encoded;
  // Too long for a file name: keep a readable prefix and make it unique with a hash.
  const hash = createHash('sha256').update(segment).digest('hex').slice(0, 16);
  return `${encoded.slice(0, MAX_SEGMENT_BYTES - 18)}~${hash}`;
}

/** The segments of a test file's path as shown to people: relative to the project when inside it. */
export function displaySegments(filePath: string, projectRoot: string): { segments: string[]; outside: boolean } {
  const normalized = filePath.replaceAll('\\', '/');
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
  const encoded = segments.map(encodeSegment);
  const name = variant === 0 ? REPORT_FILE : REPORT_FILE.replace(/\.md$/, `.${variant + 1}.md`);
  return [REPORTS_DIR, ...(outside ? [OUTSIDE_DIR] : []), ...encoded, name].join('/');
}

/** How a test file is named in console lines and summaries. */
export function displayPath(filePath: string, projectRoot: string): string {
  const { segments, outside } = displaySegments(filePath, projectRoot);
  return outside ? filePath : segments.join('/');
}
