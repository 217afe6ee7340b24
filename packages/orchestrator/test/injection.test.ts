import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { injectionFor } from '../src/run/injection.js';

let project: string;
let runDir: string;
beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), '3pio-injection-'));
  runDir = join(project, '.3pio', 'runs', 'r');
  mkdirSync(runDir, { recursive: true });
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
    const jest = injectionFor('jest', [], project, runDir);
    expect(jest.args.slice(-2)).toEqual(['--reporters=default', `--reporters=${require.resolve('@3pio/adapter-jest')}`]);
    expect(jest.note).toBeUndefined();
    expect(injectionFor('vitest', [], project, runDir)).toEqual({
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
    ['vitest', 'ci/vitest.ci.config.ts', "export default { test: { reporters: ['junit'] } };\n", ['--config', 'ci/vitest.ci.config.ts']],
  ] as const)('says that the reporters of a %s config (%s) do not run under 3pio', (runner, file, text, args) => {
    write(file, text);
    expect(injectionFor(runner, [...args], project, runDir).note).toMatch(
      new RegExp(
        `^the reporters in ${file.replaceAll('.', '\\.')} do not run under 3pio: ${runner === 'jest' ? 'Jest' : 'Vitest'} takes its reporters`,
      ),
    );
  });

  it('says nothing when the command line names reporters of its own, which replace the config’s anyway', () => {
    write('vitest.config.ts', "export default { test: { reporters: ['junit'] } };\n");
    write('jest.config.js', "module.exports = { reporters: ['jest-junit'] };\n");
    expect(injectionFor('vitest', ['--reporter=dot'], project, runDir)).toEqual({
      args: [`--reporter=${require.resolve('@3pio/adapter-vitest')}`],
      env: {},
    });
    const jest = injectionFor('jest', ['--reporters', 'summary'], project, runDir);
    expect(jest.note).toBeUndefined();
    // The user's reporters are their familiar output: 3pio adds only its own beside them.
    expect(jest.args.at(-1)).toBe(`--reporters=${require.resolve('@3pio/adapter-jest')}`);
    expect(jest.args).not.toContain('--reporters=default');
  });

  it.each(['vitest.config.ts', 'vite.config.mjs'])('keeps the reporters of a Vitest config (%s): a config of its own wraps it', (file) => {
    write(file, "export default { test: { reporters: ['default', 'junit'] } };\n");
    const injection = injectionFor('vitest', ['run', 'src'], project, runDir);
    expect(injection).toEqual({ args: ['--config', join(runDir, 'vitest.config.mjs')], env: {} });
    const wrapper = readFileSync(join(runDir, 'vitest.config.mjs'), 'utf8');
    expect(wrapper).toContain(`import config from ${JSON.stringify(join(project, file))};`);
    expect(wrapper).toContain(`const adapter = ${JSON.stringify(require.resolve('@3pio/adapter-vitest'))};`);
    expect(statSync(join(runDir, 'vitest.config.mjs')).mode & 0o777).toBe(0o600);
  });

  it.each([
    ['hoisted', 'node_modules/jest-config'],
    ['beside jest-cli only', 'node_modules/jest/node_modules/jest-cli/node_modules/jest-config'],
  ])('keeps the reporters of a Jest config: a config of its own reads it with the project’s jest-config (%s)', (_layout, where) => {
    for (const dir of ['node_modules/jest', 'node_modules/jest/node_modules/jest-cli', where]) {
      write(`${dir}/package.json`, JSON.stringify({ name: dir.split('/').at(-1), version: '29.7.0', main: 'index.js' }));
      write(`${dir}/index.js`, '');
    }
    write('jest.config.js', "module.exports = { reporters: ['default', 'jest-junit'] };\n");
    const injection = injectionFor('jest', ['--ci'], project, runDir);
    expect(injection.args.slice(-2)).toEqual(['--config', join(runDir, 'jest.config.cjs')]);
    expect(injection.note).toBeUndefined();
    const wrapper = readFileSync(join(runDir, 'jest.config.cjs'), 'utf8');
    expect(wrapper).toContain(`require(${JSON.stringify(join(project, where, 'index.js'))})`);
    expect(wrapper).toContain(`const adapter = ${JSON.stringify(require.resolve('@3pio/adapter-jest'))};`);
  });

  it('falls back to the note with a jest-config older than 29.3, which cannot read a config for the wrapper', () => {
    write('node_modules/jest-config/package.json', JSON.stringify({ name: 'jest-config', version: '29.2.1', main: 'index.js' }));
    write('node_modules/jest-config/index.js', '');
    write('jest.config.js', "module.exports = { reporters: ['default', 'jest-junit'] };\n");
    expect(injectionFor('jest', [], project, runDir).note).toContain('the reporters in jest.config.js do not run under 3pio');
  });

  it.each([
    ['a CommonJS config', 'vitest.config.cjs', "module.exports = { test: { reporters: ['junit'] } };\n", []],
    [
      'a config that requires',
      'vitest.config.ts',
      "const { join } = require('node:path');\nexport default { test: { reporters: ['junit'] } };\n",
      [],
    ],
    ['a workspace file beside it', 'vitest.config.ts', "export default { test: { reporters: ['junit'] } };\n", ['vitest.workspace.ts']],
  ])('falls back to the note for a Vitest config the wrapper cannot stand in for: %s', (_case, file, text, others) => {
    write(file, text);
    for (const other of others) write(other, 'export default [];\n');
    expect(injectionFor('vitest', [], project, runDir).note).toContain(`the reporters in ${file} do not run under 3pio`);
  });

  it('reads Jest reporters set in package.json', () => {
    write('package.json', JSON.stringify({ jest: { reporters: ['default', 'jest-junit'] } }));
    expect(injectionFor('jest', [], project, runDir).note).toContain('the reporters in package.json do not run under 3pio');
  });

  it('runs the Mocha reporter the user chose inside the adapter', () => {
    write('.mocharc.json', JSON.stringify({ reporter: 'dot' }));
    expect(injectionFor('mocha', [], project, runDir).env).toEqual({ THREEPIO_MOCHA_REPORTER: 'dot' });
    expect(injectionFor('mocha', ['--reporter', 'tap'], project, runDir).env).toEqual({ THREEPIO_MOCHA_REPORTER: 'tap' });
  });
});
