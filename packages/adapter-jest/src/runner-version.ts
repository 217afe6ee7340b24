/**
 * Jest's version, without loading any of Jest's code (the adapter may be installed
 * outside the project): the package.json next to the `jest`/`jest-cli` bin that started
 * this process. Undefined when Jest was started some other way (its programmatic API).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const JEST_PACKAGES = new Set(['jest', 'jest-cli']);

export function jestVersion(entryScript: string | undefined = require.main?.filename): string | undefined {
  if (entryScript === undefined) return undefined;
  for (let dir = dirname(entryScript); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (typeof manifest.name === 'string' && JEST_PACKAGES.has(manifest.name) && typeof manifest.version === 'string') {
        return manifest.version;
      }
      // The nearest package.json belongs to something else: Jest is not the entry point.
      return undefined;
    } catch {
      // No package.json at this level (or unreadable): keep climbing.
    }
  }
  return undefined;
}
