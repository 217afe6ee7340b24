import type { FailureDetails, SourceLocation } from '@3pio/ipc';
import { failureFromError, locationFromFrames, type FileFrame } from '@3pio/ipc/adapter';
import type { TestModule } from 'vitest/node';
import { suiteChain } from './suite-chain.js';

/** An error Vitest reported, with where it was reported when that is not the test itself. */
export interface LocatedError {
  error: unknown;
  /** E.g. `describe "outer > inner"`, for an error that Vitest only put on a suite. */
  where?: string;
}

interface ParsedFrame {
  file?: unknown;
  line?: unknown;
  column?: unknown;
}

/**
 * Where Vitest itself placed an error (`stacks`, parsed and source-mapped): all there is
 * for a type error of typecheck mode, whose `stack` is empty. Chosen among them as from
 * a stack (locationFromFrames).
 */
function locationFromParsedStacks(error: unknown, filePath: string): SourceLocation | undefined {
  const stacks = (error as { stacks?: unknown } | null)?.stacks;
  if (!Array.isArray(stacks)) return undefined;
  const frames: FileFrame[] = [];
  for (const { file, line, column } of stacks as ParsedFrame[]) {
    if (typeof file === 'string' && typeof line === 'number' && typeof column === 'number') frames.push({ file, line, column });
  }
  return locationFromFrames(frames, filePath);
}

/**
 * One FailureDetails for several errors (a soft assertion and a throw, a failing
 * `beforeAll` and `afterAll`…): the first one's details, and every message in `message`,
 * so that none of them becomes invisible.
 */
export function failureFromErrors(errors: readonly LocatedError[], filePath: string): FailureDetails | undefined {
  const [first] = errors;
  if (first === undefined) return undefined;
  const details = failureFromError(first.error, filePath);
  if (details.location === undefined) {
    const location = locationFromParsedStacks(first.error, filePath);
    if (location !== undefined) details.location = location;
  }
  const messages = errors.map(({ error, where }, index) => {
    const message = index === 0 ? details.message : failureFromError(error, filePath).message;
    return where === undefined ? message : `${message} (in ${where})`;
  });
  details.message = messages.join('\n\n');
  return details;
}

/** Errors of the file itself and of its suites' hooks, which Vitest keeps off the tests. */
export function moduleErrors(testModule: TestModule): LocatedError[] {
  const errors: LocatedError[] = testModule.errors().map((error) => ({ error }));
  for (const suite of testModule.children.allSuites()) {
    const where = `describe "${[...suiteChain(suite), suite.name].join(' > ')}"`;
    for (const error of suite.errors()) errors.push({ error, where });
  }
  return errors;
}
