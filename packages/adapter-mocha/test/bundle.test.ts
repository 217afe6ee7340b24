/**
 * The files Mocha loads by path are rolldown bundles (rolldown.config.mjs): what they
 * still require at run time must be installed wherever the package is, so it must be a
 * Node built-in, Mocha (the peer) or a declared dependency; anything else would work in
 * this workspace, where every package is at hand, and fail in a user's project.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADAPTER_DIR } from './support/mocha-project.js';

const BUNDLES = ['index.js', 'worker-reporter.js'];

interface PackageJson {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** `mocha/lib/x` → `mocha`, `@scope/name/x` → `@scope/name`. */
function packageOf(id: string): string {
  const parts = id.split('/');
  return id.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? id);
}

function requiredBy(file: string): string[] {
  const source = readFileSync(join(ADAPTER_DIR, 'dist', file), 'utf8');
  return [...source.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1] ?? '');
}

describe('the bundled entry points', () => {
  it('require only Node built-ins, Mocha and declared dependencies, and no file of their own', () => {
    const pkg = JSON.parse(readFileSync(join(ADAPTER_DIR, 'package.json'), 'utf8')) as PackageJson;
    const installed = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);
    for (const file of BUNDLES) {
      const required = requiredBy(file);
      expect(required.length, `${file} requires nothing at all: not a CommonJS bundle?`).toBeGreaterThan(0);
      const undeclared = required.filter((id) => !id.startsWith('node:') && !installed.has(packageOf(id)));
      expect(undeclared, `${file} requires what the package does not declare`).toEqual([]);
    }
  });

  it('loads the reporter from a directory with no node_modules around it', () => {
    const dir = mkdtempSync(join(tmpdir(), '3pio-mocha-bundle-'));
    try {
      copyFileSync(join(ADAPTER_DIR, 'dist', 'index.js'), join(dir, 'index.js'));
      const env = { ...process.env };
      delete env.NODE_PATH;
      const result = spawnSync(process.execPath, ['-e', 'process.stdout.write(typeof require("./index.js"))'], {
        cwd: dir,
        env,
        encoding: 'utf8',
      });
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe('function');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
