/**
 * The archive of a run directory (src/archive): a round trip of real files through
 * packRunDirectory and unpackArchive; the system's GNU tar reading what pack writes and
 * writing what unpack reads; and hostile or broken archives, made block by block here,
 * each refused with its reason and nothing left in the destination.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveError, packRunDirectory, unpackArchive } from '../src/archive/index.js';

const RUN_ID = '20261126T231528123Z-1a2b3c4d';
const OTHER_RUN_ID = '20261127T080000000Z-5e6f7a8b';
const MTIME = 1_790_000_000;

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});
function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), '3pio-archive-'));
  scratch.push(dir);
  return dir;
}

const LONG_VIA_PREFIX = `reports/${'packages'.repeat(8)}/${'ü'.repeat(30)}-src/index.md`;
const LONG_VIA_PAX = `reports/${Array.from({ length: 5 }, (_, index) => `${index}${'deep'.repeat(15)}`).join('/')}/index.md`;
const NAMES = [
  'test-run.md',
  'ipc.jsonl',
  'empty.txt',
  'reports/src/math.test.js/index.md',
  'reports/src/math.test.js/index.2.md',
  'reports/ünïcødé/测试.test.ts/index.md',
  LONG_VIA_PREFIX,
  LONG_VIA_PAX,
];

/** A run directory with nested, Unicode and long names, an empty file and directory, a 20 MB output.log, a link and a marker that are left out. */
function makeRun(parent: string): string {
  const run = join(parent, RUN_ID);
  for (const name of NAMES) {
    mkdirSync(join(run, name, '..'), { recursive: true, mode: 0o700 });
    writeFileSync(join(run, name), name === 'empty.txt' ? '' : `# ${name}\n`, { mode: 0o600 });
    utimesSync(join(run, name), MTIME, MTIME);
  }
  mkdirSync(join(run, 'reports', 'empty-dir'), { mode: 0o700 });
  const log = join(run, 'output.log');
  for (let index = 0; index < 20; index += 1) writeFileSync(log, randomBytes(1024 * 1024), { flag: 'a', mode: 0o600 });
  symlinkSync('/etc/passwd', join(run, 'reports', 'link'));
  writeFileSync(join(run, 'running.json'), '{"pid":1,"host":"elsewhere"}\n');
  return run;
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Every file and directory under `root`: its kind, mode, and its contents' hash. */
async function treeOf(root: string, under = ''): Promise<Record<string, string>> {
  const tree: Record<string, string> = {};
  for (const entry of readdirSync(join(root, under), { withFileTypes: true })) {
    const name = under === '' ? entry.name : `${under}/${entry.name}`;
    const mode = (statSync(join(root, name)).mode & 0o777).toString(8);
    if (entry.isDirectory()) Object.assign(tree, { [`${name}/`]: mode }, await treeOf(root, name));
    else tree[name] = `${entry.isSymbolicLink() ? 'link' : mode} ${await sha256(join(root, name))}`;
  }
  return tree;
}

const tar = (args: string[]) => spawnSync('tar', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

describe('packRunDirectory and unpackArchive', () => {
  let run: string;
  let archive: string;
  let packed: Record<string, string>;
  beforeAll(async () => {
    run = makeRun(scratchDir());
    archive = join(scratchDir(), 'run.tgz');
    await packRunDirectory(run, archive);
    const expected = await treeOf(run);
    delete expected['reports/link'];
    delete expected['running.json'];
    packed = expected;
  });

  it('round-trips the run directory: every file and directory, contents, owner-only modes, mtimes; no link, no marker', async () => {
    expect(statSync(archive).mode & 0o777).toBe(0o600);
    const dest = scratchDir();
    const unpacked = await unpackArchive(archive, dest);
    expect(unpacked).toBe(join(dest, RUN_ID));
    expect(readdirSync(dest)).toEqual([RUN_ID]);
    expect(await treeOf(unpacked)).toEqual(packed);
    expect(Object.keys(packed)).toEqual(expect.arrayContaining([...NAMES, 'output.log', 'reports/empty-dir/']));
    expect(statSync(join(unpacked, 'output.log')).size).toBe(20 * 1024 * 1024);
    for (const name of NAMES) expect(statSync(join(unpacked, name)).mtimeMs).toBe(MTIME * 1000);
  });

  it('is read by the system tar: the same names under <run id>/, the same files', async () => {
    const listed = tar(['-tzf', archive]);
    expect(listed.status).toBe(0);
    const names = listed.stdout.trimEnd().split('\n');
    expect(names.every((name) => name === `${RUN_ID}/` || name.startsWith(`${RUN_ID}/`))).toBe(true);
    expect(names).toContain(`${RUN_ID}/${LONG_VIA_PREFIX}`);
    expect(names).toContain(`${RUN_ID}/${LONG_VIA_PAX}`);
    const dest = scratchDir();
    const extracted = tar(['-xzf', archive, '-C', dest]);
    expect(extracted.stderr).toBe('');
    expect(await treeOf(join(dest, RUN_ID))).toEqual(packed);
    expect(statSync(join(dest, RUN_ID, 'test-run.md')).mtimeMs).toBe(MTIME * 1000);
  });

  it('uses the ustar prefix for a name up to 255 bytes and a pax header only beyond', () => {
    const blocks = gunzipSync(readFileSync(archive));
    const headers: { name: string; prefix: string; type: string }[] = [];
    for (let at = 0; at + 512 <= blocks.length;) {
      const field = (start: number, width: number) => blocks.toString('utf8', at + start, at + start + width).replace(/\0.*$/s, '');
      const size = parseInt(field(124, 12) || '0', 8);
      if (field(0, 100) === '') break;
      headers.push({ name: field(0, 100), prefix: field(345, 155), type: field(156, 1) });
      at += 512 + Math.ceil(size / 512) * 512;
    }
    const viaPrefix = headers.findIndex((header) => header.name === `${'ü'.repeat(30)}-src/index.md`);
    expect(headers[viaPrefix]).toEqual({
      name: `${'ü'.repeat(30)}-src/index.md`,
      prefix: `${RUN_ID}/reports/${'packages'.repeat(8)}`,
      type: '0',
    });
    expect(headers[viaPrefix - 1]?.type).not.toBe('x');
    // The deep path and the directories on the way to it that are over 255 bytes too.
    expect(headers.filter((header) => header.type === 'x').length).toBeGreaterThanOrEqual(1);
    // What a reader without pax support gets: the start of the name.
    const deepFile = headers.find((header, index) => header.type === '0' && headers[index - 1]?.type === 'x');
    expect(deepFile?.name).toBe(`${RUN_ID}/${LONG_VIA_PAX}`.slice(0, 100));
    expect(headers.map((header) => header.prefix + header.name).join('\n')).not.toContain('..');
  });

  it('packs the run a link points at (.3pio/runs/latest) under the run’s own name', async () => {
    const link = join(scratchDir(), 'latest');
    symlinkSync(run, link);
    const viaLink = join(scratchDir(), 'latest.tgz');
    await packRunDirectory(link, viaLink);
    expect(tar(['-tzf', viaLink]).stdout.split('\n')[0]).toBe(`${RUN_ID}/`);
  });

  it('refuses to write the archive inside the run directory, or to pack a directory not named after a run', async () => {
    await expect(packRunDirectory(run, join(run, 'reports', 'self.tgz'))).rejects.toThrow(/would be inside the run directory it packs/);
    expect(readdirSync(join(run, 'reports'))).not.toContain('self.tgz');
    const notRun = join(scratchDir(), 'my-results');
    mkdirSync(notRun);
    await expect(packRunDirectory(notRun, join(scratchDir(), 'x.tgz'))).rejects.toThrow(ArchiveError);
  });

  it('reads an archive GNU tar made of a run directory (its own format)', async () => {
    const made = join(scratchDir(), 'gnu.tgz');
    expect(tar(['-czf', made, '-C', join(run, '..'), '--exclude=link', '--exclude=running.json', RUN_ID]).status).toBe(0);
    expect(await treeOf(await unpackArchive(made, scratchDir()))).toEqual(packed);
  });

  it('refuses to unpack over a run directory already in the destination', async () => {
    const dest = scratchDir();
    mkdirSync(join(dest, RUN_ID));
    await expect(unpackArchive(archive, dest)).rejects.toThrow(`${join(dest, RUN_ID)} already exists`);
    expect(readdirSync(dest)).toEqual([RUN_ID]);
  });
});

/** A ustar header written field by field, as a hostile archive's maker would. */
function header(name: string, options: { type?: string; size?: number; linkName?: string } = {}): Buffer {
  const block = Buffer.alloc(512);
  const fields: [at: number, text: string][] = [
    [0, name],
    [100, '0000644\0'],
    [124, `${(options.size ?? 0).toString(8).padStart(11, '0')}\0`],
    [136, `${MTIME.toString(8)}\0`],
    [148, ' '.repeat(8)],
    [156, options.type ?? '0'],
    [157, options.linkName ?? ''],
    [257, 'ustar\u000000'],
  ];
  for (const [at, text] of fields) block.write(text, at, 'utf8');
  const sum = block.reduce((total, byte) => total + byte, 0);
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return block;
}

/** A file entry: its header and its contents padded to whole blocks. */
const file = (name: string, text = 'x\n'): Buffer[] => [
  header(name, { size: Buffer.byteLength(text) }),
  Buffer.concat([Buffer.from(text), Buffer.alloc(512 - Buffer.byteLength(text))]),
];
/** A pax header holding `key=value` records, each after its own length (which counts its digits). */
const pax = (...records: string[]): Buffer[] => {
  const body = Buffer.from(
    records
      .map((record) => {
        const bare = Buffer.byteLength(record) + 2;
        return `${bare + String(bare + String(bare).length).length} ${record}\n`;
      })
      .join(''),
  );
  return [header('PaxHeader', { type: 'x', size: body.length }), Buffer.concat([body, Buffer.alloc((512 - (body.length % 512)) % 512)])];
};
const tgz = (...entries: Buffer[][]): Buffer => gzipSync(Buffer.concat([...entries.flat(), Buffer.alloc(1024)]));
const valid = tgz([header(`${RUN_ID}/`, { type: '5' })], file(`${RUN_ID}/test-run.md`));

describe('unpackArchive of a hostile or broken archive', () => {
  it.each<[string, () => Buffer, RegExp]>([
    ['an absolute name', () => tgz(file(`${RUN_ID}/a`), file('/etc/cron.d/x')), /the entry "\/etc\/cron\.d\/x" is an absolute path/],
    [
      'a name that climbs out with ..',
      () => tgz(file(`${RUN_ID}/a`), file(`${RUN_ID}/../x`)),
      /the entry ".*\/\.\.\/x" climbs out of its folder/,
    ],
    ['a leading ..', () => tgz(file('../x')), /the entry "\.\.\/x" climbs out of its folder/],
    [
      '.. in a pax path',
      () => tgz(file(`${RUN_ID}/a`), pax('path=../../evil'), file(`${RUN_ID}/b`)),
      /the entry "\.\.\/\.\.\/evil" climbs out/,
    ],
    [
      'a symbolic link',
      () => tgz(file(`${RUN_ID}/a`), [header(`${RUN_ID}/reports/link`, { type: '2', linkName: '/etc/passwd' })]),
      /the entry ".*\/reports\/link" is a symbolic link \(to "\/etc\/passwd"\): a run directory's archive holds only files and directories/,
    ],
    ['a hard link', () => tgz(file(`${RUN_ID}/a`), [header(`${RUN_ID}/b`, { type: '1', linkName: `${RUN_ID}/a` })]), /is a hard link/],
    ['a device', () => tgz([header(`${RUN_ID}/null`, { type: '3' })]), /the entry ".*\/null" is a character device/],
    [
      'a second top-level folder',
      () => tgz(file(`${RUN_ID}/a`), file(`${OTHER_RUN_ID}/b`)),
      new RegExp(`"${OTHER_RUN_ID}/b" is outside ${RUN_ID}/`),
    ],
    ['a top-level file beside the run', () => tgz(file(`${RUN_ID}/a`), file('README')), /the entry "README" is outside/],
    ['a top-level folder that is not a run', () => tgz(file('home/me/a')), /"home\/me\/a" is not inside a folder named after a run ID/],
    ['a file twice', () => tgz(file(`${RUN_ID}/a`), file(`${RUN_ID}/a`)), /the entry ".*\/a" clashes with an earlier entry/],
    [
      'a name over the limit',
      () => tgz(file(`${RUN_ID}/a`), pax(`path=${RUN_ID}/${'x/'.repeat(2040)}y`), file(`${RUN_ID}/b`)),
      /is longer than 4096 bytes/,
    ],
    ['a gzip cut short', () => valid.subarray(0, valid.length - 12), /it is not a whole gzip file \(unexpected end of file\)/],
    ['a tar cut short', () => gzipSync(gunzipSync(valid).subarray(0, 512 * 2 + 100)), /it is truncated/],
    [
      'no end-of-archive block',
      () => gzipSync(Buffer.concat(file(`${RUN_ID}/a`))),
      /it is truncated: it ends in the middle of the archive/,
    ],
    [
      'a flipped checksum byte',
      () => {
        const blocks = gunzipSync(valid);
        blocks[512 + 150] = blocks[512 + 150] === 0x30 ? 0x31 : 0x30;
        return gzipSync(blocks);
      },
      /the header of ".*\/test-run\.md" has a bad checksum: the archive is corrupt/,
    ],
    ['not gzip at all', () => Buffer.from('PK\u0003\u0004 a zip file'), /it is not a whole gzip file \(incorrect header check\)/],
    ['nothing in it', () => gzipSync(Buffer.alloc(1024)), /it is empty/],
  ])('refuses %s, naming the archive and why, leaving nothing in the destination', async (_, make, message) => {
    const source = join(scratchDir(), 'hostile.tgz');
    writeFileSync(source, make());
    const dest = scratchDir();
    const refusal = unpackArchive(source, dest);
    await expect(refusal).rejects.toThrow(ArchiveError);
    await expect(refusal).rejects.toThrow(message);
    await expect(refusal).rejects.toThrow(`Cannot unpack ${source}: `);
    expect(readdirSync(dest)).toEqual([]);
    expect(existsSync(join(dest, '..', 'evil'))).toBe(false);
  });

  it.each([
    [
      'more bytes than allowed',
      { maxBytes: 100, maxEntries: 10 },
      /it unpacks to more than 100 bytes \(at ".*\/big"\): more than a run directory holds/,
    ],
    ['more entries than allowed', { maxBytes: 10_000, maxEntries: 2 }, /it holds more than 2 entries \(at ".*\/c"\)/],
  ])('refuses an archive that unpacks to %s (a decompression bomb), before writing it', async (_, limits, message) => {
    const source = join(scratchDir(), 'bomb.tgz');
    const big = 'x'.repeat(200);
    writeFileSync(
      source,
      limits.maxEntries === 2
        ? tgz(file(`${RUN_ID}/a`), file(`${RUN_ID}/b`), file(`${RUN_ID}/c`))
        : tgz(file(`${RUN_ID}/a`), file(`${RUN_ID}/big`, big)),
    );
    const dest = scratchDir();
    await expect(unpackArchive(source, dest, limits)).rejects.toThrow(message);
    expect(readdirSync(dest)).toEqual([]);
  });

  it('unpacks the well-formed archive these are made from', async () => {
    const source = join(scratchDir(), 'valid.tgz');
    writeFileSync(source, valid);
    const run = await unpackArchive(source, scratchDir());
    expect(readFileSync(join(run, 'test-run.md'), 'utf8')).toBe('x\n');
    expect(statSync(join(run, 'test-run.md')).mode & 0o777).toBe(0o600);
    expect(statSync(run).mode & 0o777).toBe(0o700);
  });

  it('says it cannot read an archive that is not there', async () => {
    const dest = scratchDir();
    await expect(unpackArchive(join(dest, 'missing.tgz'), dest)).rejects.toThrow(/^Cannot read .*missing\.tgz: ENOENT/);
    expect(readdirSync(dest)).toEqual([]);
  });
});
