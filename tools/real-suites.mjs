#!/usr/bin/env node
/**
 * Runs 3pio on real open-source test suites, each at a fixed commit, and compares every
 * run with the runner's own results (tools/compare-with-runner.mjs). The numbers in
 * TESTING.md come from here.
 *
 *   node tools/real-suites.mjs [--work <dir>] [--mirror <dir>] [--only <name,...>] [--reinstall]
 *
 * --work     where the projects are cloned and installed (default: ../real beside this
 *            repository: never inside it, so that nothing of theirs can be committed here)
 * --mirror   a directory of bare repositories to clone from instead of GitHub, as
 *            `<owner>+<name>/repo`, `<owner>+<name>` or `<owner>/<name>.git` (for machines
 *            without GitHub access)
 * --only     the projects to run, by name (see PROJECTS)
 * --reinstall  clone and install again even when a project was prepared before
 *
 * Projects are prepared and run one at a time: real suites are slow enough on a shared
 * machine without running two at once. Installs use the npm registry only.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const TOOLS = import.meta.dirname;
const COMPARE = join(TOOLS, 'compare-with-runner.mjs');

/** pnpm without a global install; the projects pin pnpm versions we do not need to match. */
const PNPM = ['npx', '--yes', 'pnpm@10'];
const PNPM_ENV = { npm_config_manage_package_manager_versions: 'false' };

/**
 * Each project: a fixed commit, how to install it, and the test command 3pio runs (the
 * project's own `npm test` where it runs only tests; the runner's command where the
 * script also lints or type-checks, which would only slow the comparison down).
 * `submodules` lists git submodules the tests need ({ path, repo }), cloned at the commit
 * the project's checkout pins.
 */
const PROJECTS = [
  {
    name: 'ms',
    repo: 'vercel/ms',
    commit: '4b85938394832e62e6e25cca5c151bbc97fe26e2',
    runner: 'Jest 30 + ts-jest; `npm test` runs Jest twice through pnpm',
    env: PNPM_ENV,
    // Jest reads jest.config.ts with ts-node, which the project does not list.
    install: [
      [...PNPM, 'install', '--frozen-lockfile'],
      [...PNPM, 'add', '--save-dev', 'ts-node'],
    ],
    test: ['npm', 'test'],
    // Its `npm test` calls `pnpm run …`: pnpm must be on PATH, not only through npx.
    pnpmOnPath: true,
  },
  {
    name: 'express',
    repo: 'expressjs/express',
    commit: 'a3714473feb3d2908add734d340e7755fd85e0a3',
    runner: 'Mocha 11',
    install: [['npm', 'install', '--no-package-lock']],
    test: ['npm', 'test'],
  },
  {
    name: 'ufo',
    repo: 'unjs/ufo',
    commit: '11308c0bb5cb4a4bc3bfcbdc5c03177b097423e6',
    runner: 'Vitest 4 with --typecheck',
    env: PNPM_ENV,
    install: [[...PNPM, 'install', '--frozen-lockfile']],
    test: ['npx', 'vitest', 'run', '--typecheck'],
  },
  {
    name: 'yargs',
    repo: 'yargs/yargs',
    commit: '2a4378bdc2eac9cf7d0cdfe0a52b1b25f779806a',
    runner: 'Mocha 11 under c8',
    install: [
      ['npm', 'ci'],
      ['npm', 'run', 'compile', '--', '-p', 'tsconfig.test.json'],
    ],
    test: ['npm', 'test'],
  },
  {
    name: 'commander-jest27',
    repo: 'tj/commander.js',
    commit: 'f2aec2648d68b01d8947298b27093df3fdb551a7',
    runner: 'Jest 27 + ts-jest',
    install: [['npm', 'ci']],
    test: ['npx', 'jest'],
  },
  {
    name: 'redux-jest28',
    repo: 'reduxjs/redux',
    commit: '9eef8ff61c0b040cca66bf9a2031927b4095065c',
    runner: 'Jest 28 + ts-jest (babel-jest installed, not used for its .ts tests)',
    // The tests import the built package (`..`): `npm test` builds it in `pretest`.
    install: [
      ['npm', 'ci', '--legacy-peer-deps'],
      ['npm', 'run', 'build'],
    ],
    test: ['npx', 'jest'],
  },
  {
    name: 'commander-jest29',
    repo: 'tj/commander.js',
    commit: '395cf7145fe28122f5a69026b310e02df114f907',
    runner: 'Jest 29 + ts-jest',
    install: [['npm', 'ci']],
    test: ['npx', 'jest'],
  },
  {
    name: 'pathe',
    repo: 'unjs/pathe',
    commit: '2a558aee716f6820a199cdf5b075ef4aafb69399',
    runner: 'Vitest 3.2',
    env: PNPM_ENV,
    install: [[...PNPM, 'install', '--frozen-lockfile']],
    test: ['npx', 'vitest', 'run'],
  },
  {
    name: 'redux-vitest2',
    repo: 'reduxjs/redux',
    commit: '5373b39d8e4298c041022e071e79a801501bf881',
    runner: 'Vitest 2.1 with --typecheck',
    // A Yarn 4 project: npm installs the same ranges from the registry (no lockfile for npm).
    install: [['npm', 'install', '--no-package-lock', '--legacy-peer-deps']],
    test: ['npx', 'vitest', 'run', '--typecheck'],
  },
  {
    name: 'cookie-mocha8',
    repo: 'jshttp/cookie',
    commit: '41b5ac17638ad8d4b71add639b58632ca2bb6d3e',
    runner: 'Mocha 8.4, qunit UI, --bail',
    install: [['npm', 'install', '--no-package-lock']],
    test: ['npm', 'test'],
  },
  {
    name: 'body-parser-mocha9',
    repo: 'expressjs/body-parser',
    commit: '1f6f58e1f8dc222f2b6cfc7eb3a3bf5145ff2b56',
    runner: 'Mocha 9.2, --bail',
    install: [['npm', 'install', '--no-package-lock']],
    test: ['npm', 'test'],
  },
  {
    name: 'cookie-mocha10',
    repo: 'jshttp/cookie',
    commit: 'd19eaa1a2bb9ca43ac0951edd852ba4e88e410e0',
    runner: 'Mocha 10.2, qunit UI, --bail',
    install: [['npm', 'install', '--no-package-lock', '--ignore-scripts']],
    test: ['npm', 'test'],
  },
  {
    name: 'yaml-babel-jest',
    repo: 'eemeli/yaml',
    // The last commit before its move to Vitest.
    commit: '90c1b80acbc86a8f31e3f05e750db8fa9823bee9',
    runner: 'Jest 29 + babel-jest (preset-env and transform-typescript, set in its jest config)',
    // Its JSON and YAML test suites are git submodules. The JSON one is cloned at the commit
    // the checkout pins; the YAML one's pinned commit (eemeli/yaml-test-suite 50861920) is in
    // no reachable copy, so tests/yaml-test-suite.ts is left out (`npm test` less that file).
    submodules: [{ path: 'tests/json-test-suite', repo: 'nst/JSONTestSuite' }],
    install: [['npm', 'ci']],
    test: [
      'npx',
      'jest',
      '--config',
      'config/jest.config.js',
      '--testPathIgnorePatterns',
      'tests/_utils',
      'tests/json-test-suite/',
      'tests/yaml-test-suite',
    ],
  },
  {
    name: 'eslint-rewrite',
    repo: 'eslint/rewrite',
    // The last commit before config-array took a dependency from the JSR registry.
    commit: '80eb5455aa5e021fc8c514a11d67c59c583ae2a1',
    runner: 'npm workspaces: `npm test` runs Mocha 10 in five packages (two build first)',
    // Packages import each other's dist/: the root build makes them all, in dependency order.
    install: [
      ['npm', 'install', '--no-package-lock'],
      ['npm', 'run', 'build'],
    ],
    test: ['npm', 'test'],
  },
];

function parseArgs(argv) {
  const options = { work: resolve(TOOLS, '..', '..', 'real'), mirror: undefined, only: undefined, reinstall: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--work') options.work = resolve(argv[++i] ?? '');
    else if (arg === '--mirror') options.mirror = resolve(argv[++i] ?? '');
    else if (arg === '--only') options.only = (argv[++i] ?? '').split(',');
    else if (arg === '--reinstall') options.reinstall = true;
    else {
      console.error(`real-suites: unknown argument ${arg}`);
      console.error('usage: node tools/real-suites.mjs [--work <dir>] [--mirror <dir>] [--only <name,...>] [--reinstall]');
      process.exit(2);
    }
  }
  if (options.work.startsWith(resolve(TOOLS, '..') + '/')) {
    // Inside this repository, a project's files could end up in a commit of 3pio's.
    console.error('real-suites: --work must be outside this repository');
    process.exit(2);
  }
  return options;
}

/** Runs a step, its output shown; throws when it fails. */
function step(argv, cwd, env) {
  console.log(`$ ${argv.join(' ')}`);
  const result = spawnSync(argv[0], argv.slice(1), { cwd, env: { ...process.env, ...env }, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${argv.join(' ')} exited ${result.status ?? result.signal}`);
}

function source(repo, mirror) {
  if (mirror === undefined) return `https://github.com/${repo}.git`;
  const [owner, name] = repo.split('/');
  const candidates = [join(mirror, `${owner}+${name}`, 'repo'), join(mirror, `${owner}+${name}`), join(mirror, owner, `${name}.git`)];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found === undefined) throw new Error(`no mirror of ${repo} in ${mirror} (tried ${candidates.join(', ')})`);
  return found;
}

/** Clones and installs a project once; a marker beside the checkout remembers what was prepared. */
function prepare(project, options) {
  const dir = join(options.work, project.name);
  const marker = join(options.work, `${project.name}.prepared`);
  if (!options.reinstall && existsSync(marker) && readFileSync(marker, 'utf8').trim() === project.commit) return dir;
  rmSync(dir, { recursive: true, force: true });
  rmSync(marker, { force: true });
  step(['git', 'clone', '--quiet', '--no-checkout', source(project.repo, options.mirror), dir], options.work);
  step(['git', '-c', 'advice.detachedHead=false', 'checkout', '--quiet', project.commit], dir);
  for (const submodule of project.submodules ?? []) {
    // The commit the checkout pins for the submodule, cloned from the same place as the project.
    const pinned = spawnSync('git', ['rev-parse', `HEAD:${submodule.path}`], { cwd: dir, encoding: 'utf8' }).stdout.trim();
    const into = join(dir, submodule.path);
    rmSync(into, { recursive: true, force: true });
    step(['git', 'clone', '--quiet', '--no-checkout', source(submodule.repo, options.mirror), into], dir);
    step(['git', '-c', 'advice.detachedHead=false', 'checkout', '--quiet', pinned], into);
  }
  for (const argv of project.install) step(argv, dir, projectEnv(project, options));
  writeFileSync(marker, `${project.commit}\n`);
  return dir;
}

/** The environment of a project's steps: its own variables, and pnpm on PATH when its scripts call it. */
function projectEnv(project, options) {
  if (project.pnpmOnPath !== true) return project.env ?? {};
  const prefix = join(options.work, '.pnpm-cli');
  if (!existsSync(join(prefix, 'node_modules', '.bin', 'pnpm')))
    step(['npm', 'install', '--prefix', prefix, '--no-save', 'pnpm@10'], options.work);
  return { ...project.env, PATH: `${join(prefix, 'node_modules', '.bin')}:${process.env.PATH ?? ''}` };
}

function totals({ passed, failed, skipped }) {
  return `${passed} / ${failed} / ${skipped}`;
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  mkdirSync(options.work, { recursive: true });
  const projects = options.only === undefined ? PROJECTS : PROJECTS.filter((project) => options.only.includes(project.name));
  const rows = [];
  for (const project of projects) {
    console.log(`\n=== ${project.name}: ${project.repo}@${project.commit.slice(0, 8)} (${project.runner})`);
    let dir;
    try {
      dir = prepare(project, options);
    } catch (error) {
      console.log(`preparing ${project.name} failed: ${error.message}`);
      rows.push({ project, error: 'install failed' });
      continue;
    }
    const summaryFile = join(options.work, `${project.name}.summary.json`);
    rmSync(summaryFile, { force: true });
    const started = Date.now();
    const compare = spawnSync(process.execPath, [COMPARE, dir, '--quiet', '--summary', summaryFile, '--', ...project.test], {
      env: { ...process.env, ...projectEnv(project, options) },
      stdio: 'inherit',
    });
    const seconds = Math.round((Date.now() - started) / 1000);
    if (!existsSync(summaryFile)) {
      rows.push({ project, error: `compare-with-runner exited ${compare.status}` });
      continue;
    }
    rows.push({ project, seconds, summary: JSON.parse(readFileSync(summaryFile, 'utf8')) });
  }

  // Markdown, ready for TESTING.md.
  console.log('\n| project | commit | runner (version measured) | runner p / f / s | 3pio p / f / s | runs | match |');
  console.log('|---|---|---|---|---|---|---|');
  for (const { project, summary, error, seconds } of rows) {
    const link = `[${project.repo}](https://github.com/${project.repo})`;
    if (summary === undefined) {
      console.log(`| ${link} | ${project.commit.slice(0, 8)} | ${project.runner} | — | — | — | no: ${error} |`);
      continue;
    }
    const runs = summary.sameRun ? `${summary.runs}` : `${summary.runs} (two runs)`;
    const match =
      summary.runs === 0
        ? 'no: no runner run on either side'
        : summary.differences === 0
          ? 'yes'
          : `no: ${summary.differences} difference(s)`;
    console.log(
      `| ${link} | ${project.commit.slice(0, 8)} | ${project.runner} (${summary.versions.join(', ')}) | ${totals(summary.runner)} | ${totals(summary.threepio)} | ${runs} | ${match} (${seconds} s) |`,
    );
  }
  process.exit(rows.every((row) => row.summary?.differences === 0 && row.summary.runs > 0) ? 0 : 1);
}

main();
