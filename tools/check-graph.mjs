// @ts-check
/**
 * Checks the Nx project graph, as CI should see it:
 * - the edges between the packages are exactly the intended ones (adapters → ipc;
 *   3pio → ipc and the adapters), so that caching and `nx affected` are right;
 * - a change to only @3pio/adapter-mocha affects it and 3pio, not the other adapters.
 * Exits non-zero, saying what differs, otherwise. Run by .ci/run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const env = { ...process.env, NX_DAEMON: 'false' };
const nx = (/** @type {string[]} */ args) => execFileSync('npx', ['nx', ...args], { encoding: 'utf8', env });

const EXPECTED_EDGES = [
  '3pio -> @3pio/adapter-jest',
  '3pio -> @3pio/adapter-mocha',
  '3pio -> @3pio/adapter-vitest',
  '3pio -> @3pio/ipc',
  '@3pio/adapter-jest -> @3pio/ipc',
  '@3pio/adapter-mocha -> @3pio/ipc',
  '@3pio/adapter-vitest -> @3pio/ipc',
];
const EXPECTED_AFFECTED = ['3pio', '@3pio/adapter-mocha'];

const dir = mkdtempSync(join(tmpdir(), '3pio-graph-'));
let failed = false;
try {
  nx(['graph', `--file=${join(dir, 'graph.json')}`]);
  /** @type {{ graph: { dependencies: Record<string, { target: string }[]> } }} */
  const { graph } = JSON.parse(readFileSync(join(dir, 'graph.json'), 'utf8'));
  const edges = [
    ...new Set(Object.entries(graph.dependencies).flatMap(([from, deps]) => deps.map((dep) => `${from} -> ${dep.target}`))),
  ].sort();
  if (JSON.stringify(edges) !== JSON.stringify(EXPECTED_EDGES)) {
    failed = true;
    console.error(`The project graph's edges are:\n  ${edges.join('\n  ')}\nexpected:\n  ${EXPECTED_EDGES.join('\n  ')}`);
  }
  const affected = nx(['show', 'projects', '--affected', '--files=packages/adapter-mocha/src/reporter.ts']).trim().split('\n').sort();
  if (JSON.stringify(affected) !== JSON.stringify(EXPECTED_AFFECTED)) {
    failed = true;
    console.error(`A change to packages/adapter-mocha affects ${affected.join(', ')}; expected ${EXPECTED_AFFECTED.join(', ')}.`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (failed) process.exit(1);
console.log('Project graph: the 7 intended edges; a change to adapter-mocha affects adapter-mocha and 3pio only.');
