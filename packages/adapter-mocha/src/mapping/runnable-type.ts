/** What a Mocha runnable is: its `type`, which @types/mocha does not declare on Runnable. */
import type Mocha from 'mocha';

export function isHook(runnable: Mocha.Runnable): runnable is Mocha.Hook {
  return (runnable as { type?: string }).type === 'hook';
}

export function isTest(runnable: Mocha.Runnable): runnable is Mocha.Test {
  return (runnable as { type?: string }).type === 'test';
}
