import { describe, expect, it } from 'vitest';
import { FileState } from '../../src/file-state.js';

describe('FileState', () => {
  it('counts each test once, by its last verdict', () => {
    const state = new FileState('/p/a.spec.js');
    const [passes, failsLate, skipped, passesTwice, failsThenPasses] = [{}, {}, {}, {}, {}];
    state.record(passes, 'PASS');
    state.record(failsLate, 'PASS');
    state.record(failsLate, 'FAIL'); // Mocha: an error after the test passed
    state.record(skipped, 'SKIP');
    state.record(passesTwice, 'PASS');
    state.record(passesTwice, 'PASS');
    state.record(failsThenPasses, 'FAIL');
    state.record(failsThenPasses, 'PASS');
    expect(state.summary()).toEqual({ filePath: '/p/a.spec.js', status: 'FAIL', tests: 5, passed: 3, failed: 1, skipped: 1 });
    for (const test of [passes, failsLate, skipped, passesTwice, failsThenPasses]) expect(state.has(test)).toBe(true);
    expect(state.has({})).toBe(false);
  });

  it('passes a file whose tests passed, skips one without tests, fails one with an error of its own', () => {
    const passing = new FileState('/p/b.spec.js');
    passing.record({}, 'PASS');
    passing.record({}, 'SKIP');
    expect(passing.summary()).toMatchObject({ status: 'PASS', tests: 2, passed: 1, skipped: 1 });
    expect(new FileState('/p/c.spec.js').summary()).toMatchObject({ status: 'SKIP', tests: 0 });
    const broken = new FileState('/p/d.spec.js');
    broken.record({}, 'PASS');
    expect(broken.summary()).toMatchObject({ status: 'PASS', tests: 1, passed: 1 });
    broken.addError({ message: 'after all hook failed' });
    expect(broken.summary()).toMatchObject({ status: 'FAIL', tests: 1, passed: 1, failed: 0 });
    broken.record({}, 'FAIL');
    expect(broken.summary()).toMatchObject({ status: 'FAIL', tests: 2, passed: 1, failed: 1 });
  });
});
