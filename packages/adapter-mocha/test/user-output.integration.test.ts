/**
 * The user's output stays the same: Mocha's own reporter (Spec, or the one named in
 * THREEPIO_MOCHA_REPORTER with THREEPIO_MOCHA_REPORTER_OPTIONS) runs inside the adapter,
 * and the tests' own output passes through the stdout/stderr wrappers unchanged, even
 * when the IPC file cannot be written.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTER_ENTRY, MATRIX, MODE_ARGS, childEnv, fixtureProject, runMocha, type Project } from './support/mocha-project.js';
import type { ProcessResult } from '../../../tools/test-kit/index.js';

/** Timings differ between two runs (Spec shows a test's time only when it was slow); nothing else may. */
const normalize = (text: string) => text.replace(/ \(\d+m?s\)/g, '').replace(/ (time|timestamp)="[^"]*"/g, ' $1="N"');
/**
 * In parallel mode files finish in a different order from one run to the next (bare or
 * not), and so do the reporter's numbering and dots: compare the verdict lines and the
 * tests' own output.
 */
const verdicts = (text: string) =>
  normalize(text)
    .split('\n')
    .filter((line) => /^\s*\d+ (passing|failing|pending)|<testsuite /.test(line));
const TEST_OUTPUT = [
  'from before all',
  'from before each',
  'log from test',
  'direct stdout write',
  'async log ✓',
  'error from test',
  'direct stderr buffer',
];
const printed = (result: ProcessResult) => TEST_OUTPUT.map((line) => [line, (result.stdout + result.stderr).split(`${line}\n`).length - 1]);

const REPORTERS = [
  { label: 'spec (default)', bare: [] as string[], env: {} as Record<string, string> },
  { label: 'dot, via THREEPIO_MOCHA_REPORTER', bare: ['--reporter', 'dot'], env: { THREEPIO_MOCHA_REPORTER: 'dot' } },
  {
    label: 'spec with options, via THREEPIO_MOCHA_REPORTER_OPTIONS',
    bare: ['--reporter', 'xunit', '--reporter-option', 'suiteName=custom suite'],
    env: { THREEPIO_MOCHA_REPORTER: 'xunit', THREEPIO_MOCHA_REPORTER_OPTIONS: JSON.stringify({ suiteName: 'custom suite' }) },
  },
];
const CASES = MATRIX.flatMap((entry) => REPORTERS.map((reporter) => ({ ...entry, reporter })));
/** An IPC path that cannot be created (below a character device): every write fails. */
const UNWRITABLE = { label: 'spec, IPC file unwritable', bare: [] as string[], env: { THREEPIO_IPC_PATH: '/dev/null/3pio/run.jsonl' } };
const UNWRITABLE_CASES = MATRIX.map((entry) => ({ ...entry, reporter: UNWRITABLE }));

const projects: Project[] = [];
const runs = new Map<string, { bare: ProcessResult; injected: ProcessResult }>();
const key = (version: string, mode: string, label: string) => `${version} ${mode} ${label}`;

beforeAll(async () => {
  await Promise.all(
    [...CASES, ...UNWRITABLE_CASES].map(async ({ version, mode, reporter }) => {
      const project = await fixtureProject('suite', version);
      projects.push(project);
      const args = ['test/*.spec.js', ...MODE_ARGS[mode]];
      const bare = await runMocha(project, [...args, ...reporter.bare], childEnv());
      const injected = await runMocha(
        project,
        [...args, '--reporter', ADAPTER_ENTRY],
        childEnv(Object.assign({ THREEPIO_IPC_PATH: join(project.dir, 'events', 'run.jsonl') }, reporter.env)),
      );
      runs.set(key(version, mode, reporter.label), { bare, injected });
    }),
  );
});

afterAll(async () => {
  await Promise.all(projects.map((project) => project.remove()));
});

describe.each([...CASES, ...UNWRITABLE_CASES])('mocha $version, $mode, $reporter.label', ({ version, mode, reporter }) => {
  it('prints what the bare runner prints and exits the same way', () => {
    const { bare, injected } = runs.get(key(version, mode, reporter.label))!;
    expect(injected.code).toBe(bare.code);
    if (mode === 'serial') {
      expect(normalize(injected.stdout)).toBe(normalize(bare.stdout));
      expect(normalize(injected.stderr)).toBe(normalize(bare.stderr));
    } else {
      expect(verdicts(injected.stdout)).toEqual(verdicts(bare.stdout));
      expect(verdicts(injected.stdout).length).toBeGreaterThan(0);
      expect(printed(injected)).toEqual(printed(bare));
    }
  });
});
