import { join, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
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
});
