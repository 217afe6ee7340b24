/**
 * Ground truth for the CLI tests: the tests a runner's own JSON report lists, and the
 * tests 3pio's events list, in one comparable form: `<file relative to the run's root> ›
 * <suite chain and title joined by spaces> › <PASS|FAIL|SKIP>`, sorted.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { readAllEvents } from '@3pio/ipc/testing';

type Verdict = 'PASS' | 'FAIL' | 'SKIP';
const verdictOf = (status: string): Verdict => (status === 'passed' ? 'PASS' : status === 'failed' ? 'FAIL' : 'SKIP');

/** Jest's --json, or Vitest's json reporter (the same format). */
export function testsInJestReport(reportPath: string, root: string): string[] {
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as {
    testResults: { name: string; assertionResults: { ancestorTitles: string[]; title: string; status: string }[] }[];
  };
  return report.testResults
    .flatMap((file) =>
      file.assertionResults.map(
        (test) => `${relative(root, file.name)} › ${[...test.ancestorTitles, test.title].join(' ')} › ${verdictOf(test.status)}`,
      ),
    )
    .sort();
}

/** Mocha's json reporter. */
export function testsInMochaReport(reportPath: string, root: string): string[] {
  type MochaTest = { fullTitle: string; file: string };
  const { tests, failures, pending } = JSON.parse(readFileSync(reportPath, 'utf8')) as Record<
    'tests' | 'failures' | 'pending',
    MochaTest[]
  >;
  const key = (test: MochaTest) => `${test.file}\0${test.fullTitle}`;
  const failed = new Set(failures.map(key));
  const skipped = new Set(pending.map(key));
  const verdict = (test: MochaTest) => (failed.has(key(test)) ? 'FAIL' : skipped.has(key(test)) ? 'SKIP' : 'PASS');
  return tests.map((test) => `${relative(root, test.file)} › ${test.fullTitle} › ${verdict(test)}`).sort();
}

/** Every run's tests in an IPC file, by the run's root (runStart's `root`). */
export async function testsInEvents(ipcPath: string): Promise<Map<string, string[]>> {
  const { events } = await readAllEvents(ipcPath);
  const roots = new Map<string, string>();
  for (const event of events) {
    if (event.eventType === 'runStart' && event.run !== undefined) roots.set(event.run, event.payload.root ?? '');
  }
  const byRoot = new Map<string, string[]>();
  for (const event of events) {
    if (event.eventType !== 'testCase' || event.run === undefined) continue;
    const root = roots.get(event.run) ?? '';
    const { filePath, ancestorTitles = [], testName, status } = event.payload;
    const tests = byRoot.get(root) ?? [];
    tests.push(`${relative(root, resolve(root, filePath))} › ${[...ancestorTitles, testName].join(' ')} › ${status}`);
    byRoot.set(root, tests);
  }
  for (const tests of byRoot.values()) tests.sort();
  return byRoot;
}

/**
 * Every test of every run in an IPC file once, with its last verdict: a retried test is
 * reported once per attempt and a reader keeps the last (PROTOCOL.md). Same-named tests
 * stay apart by their testId.
 */
export async function lastVerdictsInEvents(ipcPath: string): Promise<string[]> {
  const { events } = await readAllEvents(ipcPath);
  const roots = new Map<string, string>();
  const last = new Map<string, string>();
  for (const event of events) {
    if (event.eventType === 'runStart' && event.run !== undefined) roots.set(event.run, event.payload.root ?? '');
    if (event.eventType !== 'testCase' || event.run === undefined) continue;
    const root = roots.get(event.run) ?? '';
    const { filePath, ancestorTitles = [], testName, testId, status } = event.payload;
    const name = `${relative(root, resolve(root, filePath))} › ${[...ancestorTitles, testName].join(' ')}`;
    last.set(JSON.stringify([event.run, name, testId ?? null]), `${name} › ${status}`);
  }
  return [...last.values()].sort();
}
