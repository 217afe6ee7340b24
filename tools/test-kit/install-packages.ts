/**
 * Installs real runner versions for the adapter tests, once per machine: into
 * `<workspace>/node_modules/.cache/3pio-runners/<id>`, from the npm registry, outside
 * the workspace's own dependency tree. Safe when several test processes ask at once.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const workspaceRoot = fileURLToPath(new URL('../..', import.meta.url));
const cacheRoot = join(workspaceRoot, 'node_modules', '.cache', '3pio-runners');
const LOCK_STALE_MS = 10 * 60_000;

async function acquire(lock: string): Promise<() => Promise<void>> {
  for (;;) {
    try {
      await mkdir(lock);
      return () => rm(lock, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (await stat(lock).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age > LOCK_STALE_MS) await rm(lock, { recursive: true, force: true });
      // Another process is installing: wait for it (an install takes seconds).
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/**
 * Returns a directory whose `node_modules` holds exactly `dependencies`
 * (e.g. `{ jest: '30.5.2' }`), installing them on first use.
 */
export async function installPackages(id: string, dependencies: Record<string, string>): Promise<string> {
  const dir = join(cacheRoot, id);
  const manifest = JSON.stringify({ name: `3pio-runner-${id}`, private: true, dependencies }, null, 2);
  const marker = join(dir, '.installed');
  const isCurrent = async () => existsSync(marker) && (await readFile(marker, 'utf8')) === manifest;
  if (await isCurrent()) return dir;
  await mkdir(cacheRoot, { recursive: true });
  const release = await acquire(`${dir}.lock`);
  try {
    if (await isCurrent()) return dir;
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'package.json'), manifest);
    await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', '--loglevel=error'], {
      cwd: dir,
      maxBuffer: 64 * 1024 * 1024,
    });
    await writeFile(marker, manifest);
    return dir;
  } finally {
    await release();
  }
}
