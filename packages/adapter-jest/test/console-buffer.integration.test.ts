/**
 * Jest turns `verbose` on by itself when one file runs, and before 30.5 a verbose run
 * keeps no console buffer: the adapter gets no output unless the run has
 * `--verbose=false`, which the orchestrator must therefore pass on Jest < 30.5.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payloadsOf } from './support/events.js';
import { INJECTED_REPORTERS, JEST_VERSIONS, removeRunProjects, runJest, type JestRun } from './support/jest-run.js';

afterAll(removeRunProjects);

const outputOf = (run: JestRun): string[] =>
  [...payloadsOf(run.events, 'stdoutChunk'), ...payloadsOf(run.events, 'stderrChunk')].map((chunk) => chunk.chunk);

describe.each(JEST_VERSIONS)('jest %s, one test file', (version) => {
  let plain: JestRun;
  let notVerbose: JestRun;
  beforeAll(async () => {
    [plain, notVerbose] = await Promise.all([
      runJest({ fixture: 'suite', version, json: false, args: ['tests/console.test.js', ...INJECTED_REPORTERS] }),
      runJest({ fixture: 'suite', version, json: false, args: ['tests/console.test.js', '--verbose=false', ...INJECTED_REPORTERS] }),
    ]);
  });

  it('with --verbose=false, the console output reaches the events', () => {
    expect(outputOf(notVerbose)).toEqual(expect.arrayContaining(['log from a test { answer: 42 }\n', 'error line\n']));
    expect(outputOf(notVerbose)).toHaveLength(7);
  });

  it(
    version.startsWith('29.') ? 'without it, Jest keeps no buffer and the events get no output' : 'without it, Jest ≥30.5 buffers anyway',
    () => {
      expect(outputOf(plain)).toHaveLength(version.startsWith('29.') ? 0 : 7);
      // Either way the file and its tests are reported.
      expect(payloadsOf(plain.events, 'testCase')).toHaveLength(2);
      expect(payloadsOf(plain.events, 'testFileResult')).toMatchObject([{ status: 'PASS' }]);
    },
  );
});
