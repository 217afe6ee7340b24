/** The test runners 3pio knows, recognised by the name of the program that is run. */
import { basename } from 'node:path';

export type RunnerName = 'jest' | 'vitest' | 'mocha';

const PROGRAMS: Record<string, RunnerName> = { jest: 'jest', vitest: 'vitest', mocha: 'mocha', _mocha: 'mocha' };

/** `jest`, `node_modules/.bin/jest`, `./node_modules/jest/bin/jest.js`, `mocha.cmd`… → the runner. */
export function runnerOfProgram(program: string): RunnerName | undefined {
  const base = basename(program.replaceAll('\\', '/')).replace(/\.(c|m)?js$|\.cmd$|\.exe$/, '');
  const fromName = PROGRAMS[base];
  if (fromName !== undefined) return fromName;
  // node_modules/jest/bin/jest.js and friends: the package directory names the runner.
  const match = /node_modules\/(jest|vitest|mocha)\//.exec(program.replaceAll('\\', '/'));
  return match === null ? undefined : (match[1] as RunnerName);
}

export const SUPPORTED_RUNNERS_HELP = [
  'Supported runners: Jest, Vitest and Mocha, run directly or through a package script:',
  '  3pio npx jest [args]        3pio npx vitest run [args]     3pio npx mocha [args]',
  '  3pio npm test [-- args]     3pio npm run <script>          3pio yarn test / pnpm test',
].join('\n');
