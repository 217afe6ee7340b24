/**
 * The two ways to use the adapter, on Jest 29 and 30:
 * - injected by the orchestrator: `jest <user args…> --reporters=default --reporters=<abs path>`,
 *   with THREEPIO_IPC_PATH set. `--reporters` is greedy (jest#10257), so where the flags
 *   go relative to the user's test path patterns matters;
 * - configured by hand: `reporters: ['default', '@3pio/adapter-jest']`, no
 *   THREEPIO_IPC_PATH, events in `./.3pio/ipc/<runId>.jsonl`.
 */
import { basename, join, relative } from 'node:path';
import { isRunId } from '@3pio/ipc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesInEvents, filesInReport, payloadsOf, testsInEvents, testsInReport } from './support/events.js';
import { INJECTED_REPORTERS, JEST_VERSIONS, removeRunProjects, runJest, type JestRun } from './support/jest-run.js';

afterAll(removeRunProjects);

const PATTERNS = ['tests/skipped', 'tests/passing'];
const reportedFiles = (run: JestRun): string[] =>
  Object.keys(filesInEvents(run.events))
    .map((file) => basename(file))
    .sort();

describe.each(JEST_VERSIONS)('jest %s', (version) => {
  const runs: Record<string, JestRun> = {};
  beforeAll(async () => {
    const forms: Record<string, string[]> = {
      flagsLast: [...PATTERNS, ...INJECTED_REPORTERS],
      flagsThenDoubleDash: [...INJECTED_REPORTERS, '--', ...PATTERNS],
      flagsLastThenDoubleDash: [...PATTERNS, ...INJECTED_REPORTERS, '--'],
      flagsBeforePatterns: [...INJECTED_REPORTERS, ...PATTERNS],
      flagsAfterUsersDoubleDash: ['--', ...PATTERNS, ...INJECTED_REPORTERS],
    };
    await Promise.all([
      ...Object.entries(forms).map(async ([name, args]) => {
        runs[name] = await runJest({ fixture: 'suite', version, json: false, args });
      }),
      (async () => {
        runs.handConfigured = await runJest({ fixture: 'hand-configured', version, ipc: false, args: ['--maxWorkers=2'] });
      })(),
    ]);
  });

  describe('injected on the command line', () => {
    it.each(['flagsLast', 'flagsThenDoubleDash', 'flagsLastThenDoubleDash'])(
      '%s: keeps the patterns, the default output and the events',
      (form) => {
        const run = runs[form]!;
        expect(run.process.code).toBe(0);
        expect(reportedFiles(run)).toEqual(['passing.test.js', 'skipped.test.js']);
        expect(run.process.stderr).toContain('PASS tests/passing.test.js');
        expect(run.events.at(-1)?.eventType).toBe('runComplete');
        // Jest sets its own `success` only after the reporters have run: the adapter must not read it.
        expect(payloadsOf(run.events, 'runComplete')[0]?.status).toBe('PASS');
      },
    );

    it('flags before the patterns: Jest takes the patterns for reporters and fails', () => {
      const run = runs.flagsBeforePatterns!;
      expect(run.process.code).toBe(1);
      expect(run.process.stderr).toContain('Could not resolve a module for a custom reporter');
      expect(run.events).toEqual([]);
    });

    it("flags after the user's `--`: Jest takes them for patterns and the adapter never loads", () => {
      const run = runs.flagsAfterUsersDoubleDash!;
      expect(run.events).toEqual([]);
    });
  });

  describe('configured by hand, by package name, without THREEPIO_IPC_PATH', () => {
    const run = (): JestRun => runs.handConfigured!;

    it('writes the events of the run to a new file under ./.3pio/ipc/', () => {
      expect(run().readErrors).toEqual([]);
      expect(payloadsOf(run().events, 'runStart')).toMatchObject([{ runner: 'jest', runnerVersion: version, totalFiles: 2 }]);
      expect(filesInEvents(run().events)).toEqual(filesInReport(run().json!));
      expect(testsInEvents(run().events)).toEqual(testsInReport(run().json!));
      expect(payloadsOf(run().events, 'stdoutChunk').map((chunk) => chunk.chunk)).toEqual(['hello from a hand-configured run\n']);
    });

    // Jest adds its SummaryReporter after the custom reporters, so the line lands just before the summary.
    it('tells the user where, once, at the end of the run, on stderr', () => {
      const { stdout, stderr } = run().process;
      const notices = stderr.split('\n').filter((line) => line.startsWith('3pio: '));
      expect(notices).toHaveLength(1);
      const shown = /written to (\S+) \(reports: npx 3pio replay \1\)$/.exec(notices[0]!)![1]!;
      expect(shown.startsWith(join('.3pio', 'ipc'))).toBe(true);
      expect(isRunId(basename(shown, '.jsonl'))).toBe(true);
      expect(relative(run().dir, join(run().dir, shown))).toBe(shown);
      const lines = stderr.split('\n');
      const at = lines.indexOf(notices[0]!);
      expect(lines.slice(at + 1).find((line) => line.trim() !== '')).toMatch(/^Test Suites: /);
      expect(at).toBeGreaterThan(lines.findIndex((line) => line.startsWith('FAIL tests/second.test.js')));
      expect(at).toBeGreaterThan(lines.findIndex((line) => line.startsWith('PASS tests/first.test.js')));
      expect(stdout).not.toContain('3pio:');
    });

    it('keeps Jest’s default output', () => {
      expect(run().process.stderr).toMatch(/Tests: +1 failed, 1 skipped, 1 passed, 3 total/);
    });
  });
});
