/**
 * What the user asked 3pio to run: a runner started directly (`npx jest …`,
 * `node_modules/.bin/vitest …`, `pnpm exec mocha …`) or through a package script
 * (`npm test`, `yarn unit`, `pnpm run test:ci`), and where in it the runner is.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { runnerOfProgram, SUPPORTED_RUNNERS_HELP, type RunnerName } from './runners.js';
import { commands, quote, tokenize, type ShellToken } from './shell-words.js';

export type PackageManager = 'npm' | 'yarn' | 'pnpm';

export interface DirectInvocation {
  kind: 'direct';
  runner: RunnerName;
  /** Everything up to and including the runner program: `['npx', '--yes', 'jest']`. */
  launcher: string[];
  /** The user's arguments to the runner. */
  runnerArgs: string[];
}

type Word = Extract<ShellToken, { kind: 'word' }>;

/** An argument: its value, and its text in a shell command (what the user wrote, so the shell still expands it). */
export interface Arg {
  value: string;
  raw: string;
}

/** Arguments 3pio was given: the user's shell has already expanded them. */
const given = (values: string[]): Arg[] => values.map((value) => ({ value, raw: quote(value) }));

export interface ScriptInvocation {
  kind: 'script';
  runner: RunnerName;
  packageManager: PackageManager;
  scriptName: string;
  script: string;
  /** How the package manager was told to run it, without the extra arguments: `['npm', 'run', 'unit']`. */
  launcher: string[];
  /** Extra arguments the user gave for the script (after `--` for npm). */
  extraArgs: string[];
  /** The same with their shell text: as written in the script that called this one, else quoted. */
  extra: Arg[];
  /** The script's simple commands. */
  commands: { words: Word[]; after: string | undefined }[];
  /** Every command that starts a runner (`jest && mocha` has two); `runner` is the first's. */
  sites: RunnerSite[];
}

export interface RunnerSite {
  runner: RunnerName;
  /** Which of the script's commands. */
  command: number;
  /** Index, within that command's words, of the runner program (or of the package manager that runs `nested`). */
  word: number;
  /** The command runs another script (`npm run test:unit`) that runs the runner. */
  nested?: ScriptInvocation;
}

/** How deep scripts may call scripts before 3pio stops following them (a cycle would go on forever). */
const MAX_SCRIPT_DEPTH = 8;

export type Invocation = DirectInvocation | ScriptInvocation;

export class UnrecognisedCommandError extends UsageError {
  override name = 'UnrecognisedCommandError';

  constructor(reason: string) {
    super(`${reason}\n\n${SUPPORTED_RUNNERS_HELP}`);
  }
}

const NPX = new Set(['npx', 'pnpx', 'bunx']);
// npx options that take a value as the next word.
const NPX_VALUE_OPTIONS = new Set(['-p', '--package', '-c', '--call', '--cache', '--userconfig']);
const NPM_TEST_ALIASES = new Set(['test', 't', 'tst']);
const NPM_RUN_ALIASES = new Set(['run', 'run-script', 'rum', 'urn']);
// Words that only prepare the environment before the real program of a script command.
const WRAPPERS = new Set(['cross-env', 'cross-env-shell', 'env', 'npx', 'pnpx', 'bunx', 'dotenv', 'nyc', 'c8', 'time', 'nice']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

function readScripts(projectRoot: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(join(projectRoot, 'package.json'), 'utf8');
  } catch {
    throw new UnrecognisedCommandError(`There is no package.json in ${projectRoot} to read the script from.`);
  }
  const scripts = (JSON.parse(text) as { scripts?: Record<string, string> }).scripts;
  return scripts ?? {};
}

/** Skips options (and their values) before the program an `npx`-like launcher runs. */
function programIndex(argv: string[], from: number, valueOptions: Set<string>): number {
  let i = from;
  for (let arg = argv[i]; arg?.startsWith('-') === true; arg = argv[i]) {
    if (arg === '--') return i + 1;
    i += valueOptions.has(arg) ? 2 : 1;
  }
  return i;
}

function direct(argv: string[], programAt: number): DirectInvocation | undefined {
  const program = argv[programAt];
  const runner = program === undefined ? undefined : runnerOfProgram(program);
  if (runner === undefined) return undefined;
  return { kind: 'direct', runner, launcher: argv.slice(0, programAt + 1), runnerArgs: argv.slice(programAt + 1) };
}

/**
 * The simple commands of a script whose program, past env settings and wrappers, is a
 * runner, or another script of the package that leads to one (`npm run test:unit`).
 * `calls`: the scripts on the way here, so that a cycle is not followed. `extraArgs`: what
 * the package manager appends to the script's last command, which a call there receives.
 */
function locateRunners(parsed: ScriptInvocation['commands'], projectRoot: string, calls: string[], extraArgs: Arg[]): RunnerSite[] {
  const sites: RunnerSite[] = [];
  // After a `cd`, a called script would be another package's: such calls are not followed.
  let movedAway = false;
  for (const [c, command] of parsed.entries()) {
    const appended = c === parsed.length - 1 ? extraArgs : [];
    const program = command.words[0]?.value;
    if (program === 'cd' || program === 'pushd') movedAway = true;
    for (const [w, word] of command.words.entries()) {
      const runner = runnerOfProgram(word.value);
      if (runner !== undefined) {
        sites.push({ runner, command: c, word: w });
        break;
      }
      const call =
        calls.length < MAX_SCRIPT_DEPTH && !movedAway ? scriptCall([...command.words.slice(w), ...appended], projectRoot) : undefined;
      if (call !== undefined && !calls.includes(call.scriptName)) {
        const nested = nestedScript(call, projectRoot, calls);
        if (nested !== undefined) sites.push({ runner: nested.runner, command: c, word: w, nested });
        break;
      }
      const isPreparation = ASSIGNMENT.test(word.value) || WRAPPERS.has(word.value) || word.value.startsWith('-') || word.value === 'node';
      if (!isPreparation) break;
    }
  }
  return sites;
}

interface ScriptCall {
  packageManager: PackageManager;
  /** How the package manager was told to run it, without the extra arguments. */
  launcher: string[];
  scriptName: string;
  extraArgs: string[];
  extra: Arg[];
}

// Options that make a package manager run another package's script: 3pio reads only this package.json.
const OTHER_PACKAGE_OPTIONS = /^(--prefix|-C|--dir|--cwd|-w|--workspace|-ws|--workspaces|-F|--filter|-r|--recursive)(=|$)/;

function callOf(packageManager: PackageManager, launcher: Arg[], scriptName: string, extra: Arg[]): ScriptCall {
  // Yarn 1 drops a `--` before the script's arguments; npm has taken its own already, pnpm passes it on.
  const passed = packageManager === 'yarn' && extra[0]?.value === '--' ? extra.slice(1) : extra;
  return {
    packageManager,
    launcher: launcher.map((arg) => arg.value),
    scriptName,
    extraArgs: passed.map((arg) => arg.value),
    extra: passed,
  };
}

/** `npm test`, `npm run <name> -- …`, `yarn <name>`, `pnpm run <name>`: the script a command runs, if it runs one. */
function scriptCall(argv: Arg[], projectRoot: string): ScriptCall | undefined {
  const values = argv.map((arg) => arg.value);
  const [program] = values;
  if (program === 'npm') {
    const at = npmCommandAt(values);
    const command = values[at] ?? '';
    const nameAt = NPM_TEST_ALIASES.has(command) ? at : NPM_RUN_ALIASES.has(command) ? at + 1 : undefined;
    const scriptName = nameAt === at ? 'test' : nameAt === undefined ? undefined : values[nameAt];
    if (nameAt === undefined || scriptName === undefined || scriptName.startsWith('-')) return undefined;
    const { npmOptions, extraArgs } = npmScriptArgs(argv.slice(nameAt + 1));
    if ([...argv.slice(1, at), ...npmOptions].some((arg) => OTHER_PACKAGE_OPTIONS.test(arg.value))) return undefined;
    return callOf('npm', [...argv.slice(0, nameAt + 1), ...npmOptions], scriptName, extraArgs);
  }
  if (program === 'yarn' || program === 'pnpm') {
    const command = values[1];
    const named = values[2];
    if (command === 'run' && named !== undefined && !named.startsWith('-')) return callOf(program, argv.slice(0, 3), named, argv.slice(3));
    if (command !== undefined && command !== 'exec' && command !== 'dlx' && !command.startsWith('-')) {
      // `yarn test`, `pnpm unit`: a script if there is one (else a binary such as `yarn jest`).
      const scriptName = command === 't' && program === 'pnpm' ? 'test' : command;
      if (Object.hasOwn(readScripts(projectRoot), scriptName)) return callOf(program, argv.slice(0, 2), scriptName, argv.slice(2));
    }
  }
  return undefined;
}

/** A script another script calls, when it leads to a runner; a script that does not is left alone. */
function nestedScript(call: ScriptCall, projectRoot: string, calls: string[]): ScriptInvocation | undefined {
  try {
    return script(call, projectRoot, calls);
  } catch (error) {
    if (error instanceof UnrecognisedCommandError) return undefined;
    throw error;
  }
}

function script(call: ScriptCall, projectRoot: string, calls: string[] = []): ScriptInvocation {
  const { scriptName } = call;
  const scripts = readScripts(projectRoot);
  const body = scripts[scriptName];
  if (body === undefined) {
    const known = Object.keys(scripts);
    throw new UnrecognisedCommandError(
      `package.json has no "${scriptName}" script${known.length > 0 ? ` (it has: ${known.join(', ')})` : ''}.`,
    );
  }
  const parsed = commands(tokenize(body));
  const sites = locateRunners(parsed, projectRoot, [...calls, scriptName], call.extra);
  const [first] = sites;
  if (first === undefined) {
    throw new UnrecognisedCommandError(`The "${scriptName}" script (${JSON.stringify(body)}) does not run Jest, Vitest or Mocha.`);
  }
  return { kind: 'script', runner: first.runner, ...call, script: body, commands: parsed, sites };
}

/** npm's own options before the command, e.g. `npm --silent test`. */
function npmCommandAt(argv: string[]): number {
  const at = argv.findIndex((arg, i) => i > 0 && !arg.startsWith('-'));
  return at === -1 ? argv.length : at;
}

/**
 * npm keeps the options before `--` for itself and hands the script the positional
 * words and everything after `--`: `npm test --silent -- --ci` → npm gets `--silent`.
 */
function npmScriptArgs(rest: Arg[]): { npmOptions: Arg[]; extraArgs: Arg[] } {
  const dash = rest.findIndex((arg) => arg.value === '--');
  const before = dash === -1 ? rest : rest.slice(0, dash);
  const after = dash === -1 ? [] : rest.slice(dash + 1);
  return {
    npmOptions: before.filter((arg) => arg.value.startsWith('-')),
    extraArgs: [...before.filter((arg) => !arg.value.startsWith('-')), ...after],
  };
}

export function detectInvocation(argv: string[], projectRoot: string): Invocation {
  const [program] = argv;
  if (program === undefined) throw new UnrecognisedCommandError('No test command was given.');

  const own = direct(argv, 0);
  if (own !== undefined) return own;

  if (NPX.has(program)) {
    const found = direct(argv, programIndex(argv, 1, NPX_VALUE_OPTIONS));
    if (found !== undefined) return found;
  }
  if (program === 'node') {
    const found = direct(argv, programIndex(argv, 1, new Set(['-r', '--require', '--import', '--loader'])));
    if (found !== undefined) return found;
  }
  if (program === 'npm') {
    const at = npmCommandAt(argv);
    const command = argv[at];
    if (command === 'exec' || command === 'x') {
      const found = direct(argv, programIndex(argv, at + 1, NPX_VALUE_OPTIONS));
      if (found !== undefined) return found;
    }
  }
  if ((program === 'yarn' || program === 'pnpm') && (argv[1] === 'exec' || argv[1] === 'dlx')) {
    const found = direct(argv, programIndex(argv, 2, new Set()));
    if (found !== undefined) return found;
  }
  const called = scriptCall(given(argv), projectRoot);
  if (called !== undefined) return script(called, projectRoot);
  if (program === 'yarn' || program === 'pnpm') {
    // Not a script: a binary, such as `yarn jest`.
    const found = direct(argv, 1);
    if (found !== undefined) return found;
  }
  throw new UnrecognisedCommandError(`3pio does not know how to run ${JSON.stringify(argv.join(' '))}.`);
}
