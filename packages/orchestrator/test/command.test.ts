import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectInvocation, UnrecognisedCommandError } from '../src/command/detect.js';
import { planExecution, singleRun, type Injection } from '../src/command/plan.js';
import { tokenize } from '../src/command/shell-words.js';

const project = mkdtempSync(join(tmpdir(), '3pio-command-'));
afterAll(() => rmSync(project, { recursive: true, force: true }));
writeFileSync(
  join(project, 'package.json'),
  JSON.stringify({
    scripts: {
      test: 'jest',
      'test:ci': 'cross-env NODE_ENV=test jest --ci',
      unit: 'vitest',
      'unit:run': 'vitest run --coverage',
      spec: "mocha 'test/**/*.spec.js'",
      chain: 'tsc -p . && jest --ci && eslint .',
      watch: 'jest --watchAll',
      env: 'FOO=1 BAR="a b" node_modules/.bin/mocha --recursive',
      lint: 'eslint .',
      both: 'jest --ci && NODE_ENV=test mocha -R dot test',
      // Scripts that call scripts.
      delegate: 'npm run test:ci',
      'delegate-yarn': 'yarn lint && cross-env CI=1 yarn spec --bail',
      'delegate-twice': 'npm run delegate -- --silent',
      'delegate-lint': 'npm run lint',
      loop: 'npm run loop2',
      loop2: 'npm run loop',
      pattern: 'jest -t "$PAT" --ci && echo done',
      'delegate-glob': 'npm run spec -- test/*.spec.js "$EXTRA"',
      'other-package': 'npm run test --prefix sub',
      'other-workspace': 'pnpm --filter web test',
      'moved-away': 'cd sub && npm test',
      'yarn-dash': 'yarn run test:ci -- --bail',
    },
  }),
);

const injection: Injection = { args: ['--reporters=default', '--reporters=/a/r.js'], env: { X: '1' } };
const plan = (argv: string[]) => planExecution(detectInvocation(argv, project), () => injection, project);

describe('detectInvocation', () => {
  it.each([
    [['jest', '--ci'], 'jest', ['jest'], ['--ci']],
    [['node_modules/.bin/vitest', 'run'], 'vitest', ['node_modules/.bin/vitest'], ['run']],
    [['npx', 'jest', 'a.test.js'], 'jest', ['npx', 'jest'], ['a.test.js']],
    [['npx', '--yes', '-p', 'x', 'vitest', 'run'], 'vitest', ['npx', '--yes', '-p', 'x', 'vitest'], ['run']],
    [['pnpm', 'exec', 'mocha', '-R', 'dot'], 'mocha', ['pnpm', 'exec', 'mocha'], ['-R', 'dot']],
    [['yarn', 'jest', '--ci'], 'jest', ['yarn', 'jest'], ['--ci']],
    [['npm', 'exec', '--', 'jest'], 'jest', ['npm', 'exec', '--', 'jest'], []],
    [['node', 'node_modules/jest/bin/jest.js', '-i'], 'jest', ['node', 'node_modules/jest/bin/jest.js'], ['-i']],
    [['./node_modules/.bin/_mocha'], 'mocha', ['./node_modules/.bin/_mocha'], []],
  ])('%j runs %s directly', (argv, runner, launcher, runnerArgs) => {
    expect(detectInvocation(argv, project)).toEqual({ kind: 'direct', runner, launcher, runnerArgs });
  });

  it.each([
    [['npm', 'test'], 'npm', 'test', ['npm', 'test'], []],
    [['npm', 't', '--', '--ci'], 'npm', 'test', ['npm', 't'], ['--ci']],
    [['npm', '--silent', 'run', 'unit', 'src', '--', '-t', 'x'], 'npm', 'unit', ['npm', '--silent', 'run', 'unit'], ['src', '-t', 'x']],
    [['npm', 'run', 'spec', '--silent'], 'npm', 'spec', ['npm', 'run', 'spec', '--silent'], []],
    [['yarn', 'test', '--ci'], 'yarn', 'test', ['yarn', 'test'], ['--ci']],
    [['yarn', 'run', 'unit'], 'yarn', 'unit', ['yarn', 'run', 'unit'], []],
    [['pnpm', 'test'], 'pnpm', 'test', ['pnpm', 'test'], []],
    [['pnpm', 'run', 'test:ci', 'x'], 'pnpm', 'test:ci', ['pnpm', 'run', 'test:ci'], ['x']],
  ])('%j runs a %s script', (argv, packageManager, scriptName, launcher, extraArgs) => {
    expect(detectInvocation(argv, project)).toMatchObject({ kind: 'script', packageManager, scriptName, launcher, extraArgs });
  });

  it('finds the runner behind env settings, cross-env and in chains', () => {
    expect(detectInvocation(['npm', 'run', 'test:ci'], project)).toMatchObject({
      runner: 'jest',
      sites: [{ runner: 'jest', command: 0, word: 2 }],
    });
    expect(detectInvocation(['npm', 'run', 'env'], project)).toMatchObject({
      runner: 'mocha',
      sites: [{ runner: 'mocha', command: 0, word: 2 }],
    });
    expect(detectInvocation(['npm', 'run', 'chain'], project)).toMatchObject({
      runner: 'jest',
      sites: [{ runner: 'jest', command: 1, word: 0 }],
    });
    expect(detectInvocation(['npm', 'run', 'both'], project)).toMatchObject({
      runner: 'jest',
      sites: [
        { runner: 'jest', command: 0, word: 0 },
        { runner: 'mocha', command: 1, word: 1 },
      ],
    });
  });

  it.each([
    [[], /No test command was given/],
    [['ls', '-l'], /does not know how to run "ls -l"/],
    [['npm', 'run', 'lint'], /The "lint" script \("eslint \."\) does not run Jest, Vitest or Mocha/],
    [['npm', 'run', 'nope'], /package.json has no "nope" script \(it has: test, test:ci, unit/],
    [['npx', 'eslint'], /does not know how to run/],
  ])('refuses %j with a clear message naming the runners', (argv, message) => {
    expect(() => detectInvocation(argv, project)).toThrow(UnrecognisedCommandError);
    expect(() => detectInvocation(argv, project)).toThrow(message);
    expect(() => detectInvocation(argv, project)).toThrow(/Supported runners: Jest, Vitest and Mocha/);
  });
});

describe('singleRun', () => {
  it('turns watch modes into single runs and says so', () => {
    expect(singleRun('jest', ['--watch', '--ci'])).toEqual({ args: ['--ci'], note: expect.stringContaining('watch mode turned off') });
    expect(singleRun('jest', ['--watchAll=true'])).toMatchObject({ args: [] });
    expect(singleRun('vitest', [])).toEqual({ args: ['run'], note: undefined });
    expect(singleRun('vitest', ['watch', 'src'])).toEqual({ args: ['run', 'src'], note: expect.stringContaining('vitest run') });
    expect(singleRun('vitest', ['run', '-w'])).toMatchObject({ args: ['run'] });
    expect(singleRun('vitest', ['src/a.test.ts'])).toEqual({ args: ['run', 'src/a.test.ts'], note: undefined });
    expect(singleRun('mocha', ['-w', 'test'])).toMatchObject({ args: ['test', '--watch=false'] });
  });
});

describe('planExecution', () => {
  it('adds the adapter last to a direct jest run, before a `--` if there is one', () => {
    expect(plan(['npx', 'jest', 'src'])).toMatchObject({
      file: 'npx',
      args: ['jest', 'src', '--reporters=default', '--reporters=/a/r.js'],
      env: { X: '1' },
    });
    expect(plan(['jest']).env.PATH?.startsWith(`${join(project, 'node_modules', '.bin')}:`)).toBe(true);
    expect(plan(['jest', '--ci', '--', 'pattern']).args).toEqual(['--ci', '--reporters=default', '--reporters=/a/r.js', '--', 'pattern']);
  });

  it('runs a script whose last command is the runner through its package manager', () => {
    expect(plan(['npm', 'test', '--', 'src/a.test.js'])).toMatchObject({
      file: 'npm',
      args: ['test', '--', 'src/a.test.js', '--reporters=default', '--reporters=/a/r.js'],
      notes: [],
      display: 'npm test -- src/a.test.js --reporters=default --reporters=/a/r.js',
    });
    expect(plan(['yarn', 'unit']).args).toEqual(['unit', '--run', '--reporters=default', '--reporters=/a/r.js']);
    expect(plan(['pnpm', 'run', 'unit:run']).args).toEqual(['run', 'unit:run', '--reporters=default', '--reporters=/a/r.js']);
    // `pnpm test` would take --reporters as its own option: the script is run with `pnpm run`.
    expect(plan(['pnpm', 'test', 'src'])).toMatchObject({
      file: 'pnpm',
      args: ['run', 'test', 'src', '--reporters=default', '--reporters=/a/r.js'],
    });
    expect(plan(['npm', 'run', 'spec']).args).toEqual(['run', 'spec', '--', '--watch=false', '--reporters=default', '--reporters=/a/r.js']);
  });

  it('runs the commands itself when the runner is not the script’s last command', () => {
    const chained = plan(['npm', 'run', 'chain', '--', '--fix']);
    expect(chained.file).toBe('sh');
    expect(chained.args).toEqual(['-c', 'tsc -p . && jest --ci --reporters=default --reporters=/a/r.js && eslint . --fix']);
    expect(chained.env.PATH?.startsWith(`${join(project, 'node_modules', '.bin')}:`)).toBe(true);
    expect(chained.notes[0]).toMatch(/runs the "chain" script's commands itself/);
  });

  it('adds each runner’s own adapter when a script runs several', () => {
    const seen: [string, string[]][] = [];
    const both = planExecution(
      detectInvocation(['npm', 'run', 'both', '--', 'x'], project),
      (runner, userArgs) => {
        seen.push([runner, userArgs]);
        return { args: [`--${runner}-adapter`], env: { [`${runner.toUpperCase()}_SET`]: '1' } };
      },
      project,
    );
    expect(seen).toEqual([
      ['jest', ['--ci']],
      ['mocha', ['-R', 'dot', 'test', 'x']],
    ]);
    expect(both).toMatchObject({ runners: ['jest', 'mocha'], file: 'sh', env: { JEST_SET: '1', MOCHA_SET: '1' } });
    expect(both.args[1]).toBe('jest --ci --jest-adapter && NODE_ENV=test mocha -R dot test x --watch=false --mocha-adapter');
  });

  it('follows a script that calls another script to its runner, and runs the commands itself', () => {
    expect(detectInvocation(['npm', 'run', 'delegate'], project)).toMatchObject({
      runner: 'jest',
      sites: [{ command: 0, word: 0, nested: { scriptName: 'test:ci', packageManager: 'npm', runner: 'jest' } }],
    });
    const delegated = plan(['npm', 'run', 'delegate', '--', 'src/a.test.js']);
    expect(delegated).toMatchObject({ runners: ['jest'], file: 'sh', env: { X: '1' } });
    expect(delegated.args).toEqual([
      '-c',
      `sh -c 'cross-env NODE_ENV=test jest --ci src/a.test.js --reporters=default --reporters=/a/r.js'`,
    ]);
    expect(delegated.notes).toEqual([
      expect.stringContaining('runs the "delegate" script\'s commands itself'),
      expect.stringContaining('runs the "test:ci" script\'s commands itself'),
    ]);
    // yarn, wrappers before the call, the call's own arguments, commands around it; the quoting read back as a shell would.
    const words = (script: string) => tokenize(script).flatMap((token) => (token.kind === 'word' ? [token.value] : []));
    expect(words(plan(['npm', 'run', 'delegate-yarn']).args[1]!)).toEqual([
      'yarn',
      'lint',
      'cross-env',
      'CI=1',
      'sh',
      '-c',
      "mocha 'test/**/*.spec.js' --bail --watch=false --reporters=default --reporters=/a/r.js",
    ]);
    // Two levels down; npm takes --silent, appended to its `npm run test:ci`, for its own option, not the runner's.
    const twice = words(plan(['npm', 'run', 'delegate-twice']).args[1]!);
    expect(twice.slice(0, 2)).toEqual(['sh', '-c']);
    expect(words(twice[2]!)).toEqual(['sh', '-c', 'cross-env NODE_ENV=test jest --ci --reporters=default --reporters=/a/r.js']);
  });

  it('keeps the script’s words as written, so the shell still expands them', () => {
    expect(plan(['npm', 'run', 'pattern']).args[1]).toBe('jest -t "$PAT" --ci --reporters=default --reporters=/a/r.js && echo done');
    const words = (script: string) => tokenize(script).flatMap((token) => (token.kind === 'word' ? [token.value] : []));
    expect(words(plan(['npm', 'run', 'delegate-glob']).args[1]!)).toEqual([
      'sh',
      '-c',
      `mocha 'test/**/*.spec.js' test/*.spec.js "$EXTRA" --watch=false --reporters=default --reporters=/a/r.js`,
    ]);
  });

  it('does not follow a call into another package, nor one after a cd', () => {
    for (const name of ['other-package', 'other-workspace', 'moved-away']) {
      expect(() => detectInvocation(['npm', 'run', name], project), name).toThrow(/does not run Jest, Vitest or Mocha/);
    }
  });

  it('drops the `--` yarn 1 drops before a script’s arguments', () => {
    expect(detectInvocation(['npm', 'run', 'yarn-dash'], project)).toMatchObject({
      sites: [{ nested: { scriptName: 'test:ci', packageManager: 'yarn', extraArgs: ['--bail'] } }],
    });
    expect(detectInvocation(['yarn', 'run', 'test:ci', '--', '--bail'], project)).toMatchObject({ extraArgs: ['--bail'] });
  });

  it('says so when the scripts a script calls run no test runner, or call each other in a circle', () => {
    expect(() => detectInvocation(['npm', 'run', 'delegate-lint'], project)).toThrow(
      /The "delegate-lint" script \("npm run lint"\) does not run/,
    );
    expect(() => detectInvocation(['npm', 'run', 'loop'], project)).toThrow(/The "loop" script \("npm run loop2"\) does not run/);
  });

  it('passes on what the injection has to say, whichever way the runner is run', () => {
    const noted = (argv: string[]) =>
      planExecution(detectInvocation(argv, project), () => ({ ...injection, note: 'heads up' }), project).notes;
    expect(noted(['npx', 'jest'])).toEqual(['heads up']);
    expect(noted(['npm', 'test'])).toEqual(['heads up']);
    expect(noted(['npm', 'run', 'chain'])).toEqual([expect.stringContaining('commands itself'), 'heads up']);
  });

  it('rewrites a script that asks for watch mode, keeping its quoting', () => {
    const watched = plan(['npm', 'run', 'watch']);
    expect(watched.args).toEqual(['-c', 'jest --reporters=default --reporters=/a/r.js']);
    expect(watched.notes).toContain('jest watch mode turned off: 3pio runs the tests once');
    const env = plan(['npm', 'run', 'env']);
    expect(env.file).toBe('npm');
  });
});

describe('tokenize', () => {
  it('reads quotes, escapes and operators like a shell', () => {
    expect(tokenize(`a 'b c' "d \\"e\\"" f\\ g&&h||i;j|k`).map((t) => t.value)).toEqual([
      'a',
      'b c',
      'd "e"',
      'f g',
      '&&',
      'h',
      '||',
      'i',
      ';',
      'j',
      '|',
      'k',
    ]);
    expect(() => tokenize(`a 'b`)).toThrow(/unterminated '/);
  });
});
