/** Views of an event stream that the tests compare with Mocha's own verdict. */
import { resolve } from 'node:path';
import type { IpcEvent, KnownEvent, TestCaseEvent, TestFileResultEvent } from '@3pio/ipc';
import type { MochaJson } from './mocha-project.js';

type Of<T extends KnownEvent['eventType']> = Extract<KnownEvent, { eventType: T }>;

export function ofType<T extends KnownEvent['eventType']>(events: IpcEvent[], type: T): Of<T>['payload'][] {
  return events.filter((event): event is Of<T> => event.eventType === type).map((event) => event.payload as Of<T>['payload']);
}

export const testKey = (file: string, fullTitle: string) => `${resolve(file)} :: ${fullTitle}`;

/** Last result wins, per file and full title (suite chain and test title joined as Mocha's fullTitle does). */
export function finalTestCases(events: IpcEvent[]): Map<string, TestCaseEvent['payload']> {
  const tests = new Map<string, TestCaseEvent['payload']>();
  for (const test of ofType(events, 'testCase'))
    tests.set(testKey(test.filePath, [...(test.ancestorTitles ?? []), test.testName].join(' ')), test);
  return tests;
}

export function finalFileResults(events: IpcEvent[]): Map<string, TestFileResultEvent['payload']> {
  return new Map(ofType(events, 'testFileResult').map((result) => [result.filePath, result]));
}

const HOOK_TITLE = /^"(before|after) (all|each)" hook/;

export interface GroundTruth {
  /** Status of every test Mocha ended, by testKey. */
  tests: Map<string, 'PASS' | 'FAIL' | 'SKIP'>;
  /** Hook failures: file → failure titles. */
  hookFailures: Map<string, string[]>;
  files: Set<string>;
}

/** What Mocha's json reporter says; a test in `failures` failed even if it passed first. */
export function groundTruth(json: MochaJson): GroundTruth {
  const failed = new Set<string>();
  const hookFailures = new Map<string, string[]>();
  for (const failure of json.failures) {
    if (HOOK_TITLE.test(failure.title)) {
      const file = resolve(failure.file ?? '');
      hookFailures.set(file, [...(hookFailures.get(file) ?? []), failure.title]);
    } else failed.add(testKey(failure.file ?? '', failure.fullTitle));
  }
  const pending = new Set(json.pending.map((test) => testKey(test.file ?? '', test.fullTitle)));
  const tests = new Map<string, 'PASS' | 'FAIL' | 'SKIP'>();
  const files = new Set<string>();
  for (const test of json.tests) {
    const key = testKey(test.file ?? '', test.fullTitle);
    tests.set(key, failed.has(key) ? 'FAIL' : pending.has(key) ? 'SKIP' : 'PASS');
    files.add(resolve(test.file ?? ''));
  }
  for (const file of hookFailures.keys()) files.add(file);
  return { tests, hookFailures, files };
}

/** Per file: testFileStart once, before all its other events; its last event is a testFileResult. */
export function fileOrderProblems(events: IpcEvent[]): string[] {
  const problems: string[] = [];
  const starts = new Map<string, number>();
  const lastResult = new Map<string, number>();
  const lastOther = new Map<string, number>();
  events.forEach((event, index) => {
    if (event.eventType === 'adapterError') problems.push(`the adapter failed in ${event.payload.hook}: ${event.payload.message}`);
    if (
      event.eventType === 'unknown' ||
      event.eventType === 'runStart' ||
      event.eventType === 'runComplete' ||
      event.eventType === 'adapterError'
    )
      return;
    const file = event.payload.filePath;
    if (event.eventType === 'testFileStart') {
      if (starts.has(file)) problems.push(`${file}: testFileStart twice`);
      starts.set(file, index);
    } else {
      if (!starts.has(file)) problems.push(`${file}: ${event.eventType} before testFileStart`);
      if (event.eventType === 'testFileResult') lastResult.set(file, index);
      else lastOther.set(file, index);
    }
  });
  for (const [file, index] of lastOther) {
    if ((lastResult.get(file) ?? -1) < index) problems.push(`${file}: events after its last testFileResult`);
  }
  for (const file of starts.keys()) if (!lastResult.has(file)) problems.push(`${file}: no testFileResult`);
  return problems;
}
