/** The parts of Vitest's `--reporter=json` output (Jest-compatible) the comparisons use. */
export interface JsonAssertionResult {
  ancestorTitles: string[];
  title: string;
  fullName: string;
  /** `passed`, `failed`, `skipped`, `pending`, `todo` or `disabled`. */
  status: string;
  failureMessages: string[] | null;
}

export interface JsonTestResult {
  /** Absolute path of the test file. */
  name: string;
  status: 'passed' | 'failed';
  message: string;
  assertionResults: JsonAssertionResult[];
}

export interface JsonReport {
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: JsonTestResult[];
}

/** The 3pio status the JSON reporter's word stands for. */
export function statusOf(jsonStatus: string): 'PASS' | 'FAIL' | 'SKIP' {
  if (jsonStatus === 'passed') return 'PASS';
  if (jsonStatus === 'failed') return 'FAIL';
  return 'SKIP';
}
