/**
 * The globals the writer and the adapters use while tests run, taken when they load.
 * Mocha runs tests in the adapter's own process and realm: a test that removes `Date`,
 * installs fake timers and does not restore them, or stubs `JSON.stringify` or
 * `fs.writeSync` must not cost an event. Mocha's own reporters keep such references for
 * the same reason. (Jest and Vitest run tests in other realms or processes.)
 */
import * as fs from 'node:fs';
import * as timers from 'node:timers';

export const now: () => number = Date.now;
export const stringify: typeof JSON.stringify = JSON.stringify;
export const { closeSync, fdatasyncSync, mkdirSync, openSync, writeSync } = fs;
export const { setTimeout: startTimer, clearTimeout: stopTimer } = timers;
