/** Reading a run's events, and putting them side by side with Jest's `--json` report. */
import type { IpcEvent, KnownEvent } from '@3pio/ipc';
import type { JestJsonReport } from './jest-run.js';

type PayloadOf = { [E in KnownEvent as E['eventType']]: E['payload'] };

export function payloadsOf<T extends KnownEvent['eventType']>(events: IpcEvent[], eventType: T): PayloadOf[T][] {
  return events.filter((event) => event.eventType === eventType).map((event) => event.payload as PayloadOf[T]);
}

const TEST_STATUS: Record<string, string> = { passed: 'PASS', failed: 'FAIL', pending: 'SKIP', todo: 'SKIP', disabled: 'SKIP' };
// A file's status in the --json report: `focused` is a passing file with some tests skipped.
const FILE_STATUS: Record<string, string> = { passed: 'PASS', focused: 'PASS', failed: 'FAIL', skipped: 'SKIP', pending: 'SKIP' };

/** One line per test, `file ▸ suite ▸ … ▸ title = STATUS`, sorted, from the report. */
export function testsInReport(report: JestJsonReport): string[] {
  return report.testResults
    .flatMap((file) =>
      file.assertionResults.map((test) =>
        testLine(file.name, test.ancestorTitles, test.title, TEST_STATUS[test.status] ?? `?${test.status}`),
      ),
    )
    .sort();
}

/** The same lines from the testCase events; a test reported twice keeps its last status (as the orchestrator does). */
export function testsInEvents(events: IpcEvent[]): string[] {
  const last = new Map<string, string>();
  for (const test of payloadsOf(events, 'testCase')) {
    last.set(testLine(test.filePath, test.ancestorTitles ?? [], test.testName, ''), test.status);
  }
  return [...last].map(([line, status]) => `${line}${status}`).sort();
}

function testLine(file: string, chain: string[], title: string, status: string): string {
  return `${[file, ...chain, title].join(' ▸ ')} = ${status}`;
}

export function filesInReport(report: JestJsonReport): Record<string, string> {
  return Object.fromEntries(report.testResults.map((file) => [file.name, FILE_STATUS[file.status] ?? `?${file.status}`]));
}

export function filesInEvents(events: IpcEvent[]): Record<string, string> {
  return Object.fromEntries(payloadsOf(events, 'testFileResult').map((file) => [file.filePath, file.status]));
}
