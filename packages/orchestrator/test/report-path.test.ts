import { join, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunState } from '../src/model/run-state.js';
import { displayPath, reportPathFor } from '../src/reports/report-path.js';

const root = '/home/me/project';

describe('reportPathFor', () => {
  it('mirrors the project tree under reports/', () => {
    expect(reportPathFor(`${root}/src/a.test.js`, root)).toBe('reports/src/a.test.js/index.md');
    expect(displayPath(`${root}/src/a.test.js`, root)).toBe('src/a.test.js');
  });

  it('does not let a/b_c.test.js and a_b/c.test.js collide', () => {
    expect(reportPathFor(`${root}/a/b_c.test.js`, root)).not.toBe(reportPathFor(`${root}/a_b/c.test.js`, root));
  });

  it('maps many awkward paths to distinct reports that all stay inside reports/', () => {
    const names = [
      'a/b_c.test.js',
      'a_b/c.test.js',
      'a/b%5Fc.test.js',
      'a',
      'a/index.md',
      'a/index.2.md',
      'a/index.12.md',
      'a/index%2Emd',
      'index.md',
      '..',
      '../x',
      '%2E%2E/x',
      '.',
      '%',
      'sp ace.js',
      'sp%20ace.js',
      'ü.js',
      '%C3%BC.js',
      'a\\b.js',
      'x'.repeat(400),
      `${'x'.repeat(399)}y`,
      '%outside/x.js',
      'dir/.hidden.test.js',
      'a:b|c*?"<>.js',
    ];
    const paths = [
      ...names.map((name) => join(root, name)),
      ...names.map((name) => `/elsewhere/${name}`),
      '/',
      '/etc/passwd',
      `${root}-sibling/a.test.js`,
    ];
    const reports = new Map<string, string>();
    // Each path's own report, and those of the same file in a second and a twelfth run.
    const all = [...new Set(paths.map((p) => resolve(p)))].flatMap((path) => [0, 1, 11].map((variant) => ({ path, variant })));
    for (const { path, variant } of all) {
      const report = reportPathFor(path, root, variant);
      const key = `${path} (variant ${variant})`;
      expect(reports.get(report), `${key} collides with ${reports.get(report)}`).toBeUndefined();
      // A report file is never a directory of another report.
      expect([...reports.keys()].some((other) => other.startsWith(`${report}/`) || report.startsWith(`${other}/`))).toBe(false);
      reports.set(report, key);
      const segments = report.split('/');
      expect(segments[0]).toBe('reports');
      expect(segments.at(-1)).toBe(variant === 0 ? 'index.md' : `index.${variant + 1}.md`);
      for (const segment of segments.slice(1, -1)) {
        expect(segment).not.toMatch(/^(|\.|\.\.|index(\.\d+)?\.md)$/);
        expect(segment).not.toMatch(/[\\/]/);
        expect(Buffer.byteLength(segment)).toBeLessThanOrEqual(150);
      }
      const onDisk = resolve('/run', ...segments);
      expect(onDisk.startsWith(`/run${sep}reports${sep}`)).toBe(true);
    }
  });

  it('puts files outside the project in their own subtree, shown by absolute path', () => {
    expect(reportPathFor('/tmp/x.test.js', root)).toBe('reports/%outside/tmp/x.test.js/index.md');
    expect(displayPath('/tmp/x.test.js', root)).toBe('/tmp/x.test.js');
  });

  it('is deterministic', () => {
    expect(reportPathFor(`${root}/${'z'.repeat(300)}.js`, root)).toBe(reportPathFor(`${root}/${'z'.repeat(300)}.js`, root));
  });

  it('tells apart lone surrogates, which have no UTF-8 form of their own', () => {
    const reports = ['\ud800', '\ud801', '\udc00', '\ufffd'].map((name) => reportPathFor(`${root}/${name}.test.js`, root));
    expect(new Set(reports).size).toBe(4);
    expect(reports[0]).toBe('reports/%uD800.test.js/index.md');
  });

  it('treats a backslash as part of a name where it does not separate', () => {
    expect(sep).toBe('/');
    expect(reportPathFor('/elsewhere/a\\b.test.js', root)).not.toBe(reportPathFor('/elsewhere/a/b.test.js', root));
    expect(reportPathFor(`${root}/a\\b.test.js`, root)).toBe('reports/a%5Cb.test.js/index.md');
  });

  it('hashes the middle of a path too long or too deep for a file system, keeping its start and its name', () => {
    const deep = (middle: string) => `${root}/${Array.from({ length: 2100 }, (_, i) => (i === 1000 ? middle : 'd')).join('/')}/x.test.js`;
    const report = reportPathFor(deep('m'), root);
    expect(Buffer.byteLength(report)).toBeLessThan(700);
    expect(report).toMatch(/^reports\/d\/d\/.*\/~[0-9a-f]{16}\/x\.test\.js\/index\.md$/);
    expect(reportPathFor(deep('n'), root)).not.toBe(report);
    const long = `${root}/${Array.from({ length: 20 }, () => 'y'.repeat(140)).join('/')}.test.js`;
    expect(Buffer.byteLength(reportPathFor(long, root))).toBeLessThan(700);
  });

  it('gives paths that differ only in case reports apart on a case-insensitive disk', () => {
    const s = new RunState(root);
    const onDisk = ['src/A.test.js', 'src/a.test.js', 'SRC/a.test.js'].map((file) => {
      const record = s.apply({ eventType: 'testFileStart', payload: { filePath: `${root}/${file}` } });
      if (record === undefined) throw new Error('no file record');
      return reportPathFor(record.filePath, root, record.variant).toLowerCase();
    });
    expect(new Set(onDisk).size).toBe(3);
  });

  it('is injective and confined on random paths: Unicode, separators, dots, depth', () => {
    // A seeded generator: the same paths every run, so a failure can be reproduced.
    let seed = 0x3b10;
    const random = (n: number) => {
      // mulberry32
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    const alphabet = [
      'a',
      'A',
      '.',
      '..',
      '/',
      '\\',
      '%',
      '%2F',
      '~',
      ' ',
      'é',
      'e\u0301',
      '\ud83d\ude00',
      '\ud800',
      '\udfff',
      '\u0000',
      'index.md',
      ':',
      'x'.repeat(120),
    ];
    const paths = new Set<string>();
    while (paths.size < 3000) {
      let path = '';
      const length = 1 + random(random(10) === 0 ? 400 : 12);
      for (let i = 0; i < length; i += 1) path += alphabet[random(alphabet.length)] ?? '';
      paths.add(resolve(random(2) === 0 ? root : '/elsewhere', path));
    }
    const seen = new Map<string, string>();
    for (const path of paths) {
      const report = reportPathFor(path, root);
      expect(seen.get(report), `${JSON.stringify(path)} and ${JSON.stringify(seen.get(report))}`).toBeUndefined();
      seen.set(report, path);
      expect(resolve('/run', report).startsWith(`/run${sep}reports${sep}`)).toBe(true);
      expect(Buffer.byteLength(report)).toBeLessThan(700);
      for (const segment of report.split('/')) expect(Buffer.byteLength(segment)).toBeLessThanOrEqual(150);
    }
  });
});
