import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { injectionFor } from '../src/run/injection.js';

let project: string;
beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), '3pio-injection-'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ private: true }));
});
afterEach(() => rmSync(project, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  mkdirSync(dirname(join(project, name)), { recursive: true });
  writeFileSync(join(project, name), text);
};

describe('injectionFor', () => {
  it('adds the default reporter and the adapter, and says nothing when the config sets no reporters', () => {
    write('jest.config.js', 'module.exports = { testEnvironment: "node" };\n');
    const jest = injectionFor('jest', [], project);
    expect(jest.args.slice(-2)).toEqual(['--reporters=default', `--reporters=${require.resolve('@3pio/adapter-jest')}`]);
    expect(jest.note).toBeUndefined();
    expect(injectionFor('vitest', [], project)).toEqual({
      args: ['--reporter=default', `--reporter=${require.resolve('@3pio/adapter-vitest')}`],
      env: {},
    });
  });

  it.each([
    ['jest', 'jest.config.js', "module.exports = { reporters: ['default', 'jest-junit'] };\n", []],
    [
      'jest',
      'ci/jest.ci.config.js',
      "module.exports = { reporters: [['jest-junit', { outputDirectory: 'out' }]] };\n",
      ['--config', 'ci/jest.ci.config.js'],
    ],
    ['vitest', 'vitest.config.ts', "export default { test: { reporters: ['default', 'junit'] } };\n", []],
    ['vitest', 'vite.config.mjs', "export default { test: { reporters: ['html'] } };\n", []],
  ] as const)('says that the reporters of a %s config (%s) do not run under 3pio', (runner, file, text, args) => {
    write(file, text);
    expect(injectionFor(runner, [...args], project).note).toMatch(
      new RegExp(
        `^the reporters in ${file.replaceAll('.', '\\.')} do not run under 3pio: ${runner === 'jest' ? 'Jest' : 'Vitest'} takes its reporters`,
      ),
    );
  });

  it('reads Jest reporters set in package.json', () => {
    write('package.json', JSON.stringify({ jest: { reporters: ['default', 'jest-junit'] } }));
    expect(injectionFor('jest', [], project).note).toContain('the reporters in package.json do not run under 3pio');
  });

  it('runs the Mocha reporter the user chose inside the adapter', () => {
    write('.mocharc.json', JSON.stringify({ reporter: 'dot' }));
    expect(injectionFor('mocha', [], project).env).toEqual({ THREEPIO_MOCHA_REPORTER: 'dot' });
    expect(injectionFor('mocha', ['--reporter', 'tap'], project).env).toEqual({ THREEPIO_MOCHA_REPORTER: 'tap' });
  });
});
