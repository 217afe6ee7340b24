/**
 * How to run what the user asked, with the 3pio adapter added and watch mode turned
 * off, keeping the user's own arguments and config as they are.
 *
 * A script whose last command is the runner is run through its package manager, with
 * the extra arguments appended the way that package manager forwards them. When that
 * cannot work (the runner is not the last command, or its arguments must change), 3pio
 * runs the script's commands itself in a shell, as the package manager would, with the
 * runner's command rewritten; the console says so.
 */
import { dirname, join } from 'node:path';
import type { Arg, Invocation, RunnerSite, ScriptInvocation } from './detect.js';
import type { RunnerName } from './runners.js';
import { quote } from './shell-words.js';

export interface Injection {
  /** Arguments that add the adapter (and the runner's default reporter). */
  args: string[];
  env: Record<string, string>;
  /** What the user should know about it (shown as a note before the run). */
  note?: string;
}

/** What to add for each runner: the orchestrator's side of the contract with the adapters. */
export type InjectionFor = (runner: RunnerName, userArgs: string[]) => Injection;

export interface ExecutionPlan {
  /** The runners the command starts, in order: usually one; `jest && mocha` scripts have more. */
  runners: RunnerName[];
  file: string;
  args: string[];
  /** Environment additions on top of 3pio's own environment. */
  env: Record<string, string>;
  /** Things the user should know about how the command was changed. */
  notes: string[];
  /** The command as a person would type it, for the console and the report. */
  display: string;
}

const VITEST_COMMANDS = new Set(['run', 'watch', 'dev', 'related', 'bench', 'list']);

/**
 * Overrides `watch: true` in a .mocharc. Not `--no-watch`: Mocha's bin takes that for a
 * Node flag (Node has `--watch`) and starts a second Node process to pass it on,
 * which costs a whole process start on every run.
 */
const MOCHA_SINGLE_RUN = '--watch=false';

/** The runner's arguments for a single run, and what was changed to get there. */
export function singleRun(runner: RunnerName, args: string[]): { args: string[]; note: string | undefined } {
  const isWatchFlag = (arg: string) =>
    runner === 'jest' ? /^--watch(All)?(=true)?$/.test(arg) : arg === '--watch' || arg === '-w' || arg === '--watch=true';
  const kept = args.filter((arg) => !isWatchFlag(arg));
  let note = kept.length !== args.length ? `${runner} watch mode turned off: 3pio runs the tests once` : undefined;
  if (runner === 'vitest') {
    const first = kept[0];
    if (first === 'watch' || first === 'dev') {
      kept[0] = 'run';
      note = 'vitest watch mode turned off: 3pio runs `vitest run`';
    } else if (first === undefined || !VITEST_COMMANDS.has(first)) {
      kept.unshift('run');
    }
  }
  if (runner === 'mocha' && !kept.includes(MOCHA_SINGLE_RUN) && !kept.includes('--no-watch')) kept.push(MOCHA_SINGLE_RUN);
  return { args: kept, note };
}

function notesOf(injection: Injection): string[] {
  return injection.note === undefined ? [] : [injection.note];
}

/** Jest's `--reporters` takes every word after it: the additions go last, or before a `--`. */
function addInjection(args: string[], additions: string[]): string[] {
  const dash = args.indexOf('--');
  return dash === -1 ? [...args, ...additions] : [...args.slice(0, dash), ...additions, ...args.slice(dash)];
}

function display(file: string, args: string[]): string {
  return [file, ...args].map(quote).join(' ');
}

/** PATH as npm sets it for scripts: every node_modules/.bin from the project up to the root first. */
export function scriptPath(projectRoot: string, path = process.env.PATH ?? ''): string {
  const bins: string[] = [];
  for (let dir = projectRoot; ; dir = dirname(dir)) {
    bins.push(join(dir, 'node_modules', '.bin'));
    if (dirname(dir) === dir) break;
  }
  return [...bins, path].join(':');
}

/** A command's program and its arguments; detection never yields an empty command. */
function programOf(words: readonly string[]): [string, string[]] {
  const [file, ...args] = words;
  if (file === undefined) throw new Error('3pio internal error: an empty command');
  return [file, args];
}

function commandAt(invocation: ScriptInvocation, site: RunnerSite): ScriptInvocation['commands'][number] {
  const command = invocation.commands[site.command];
  if (command === undefined) throw new Error(`3pio internal error: the script has no command ${site.command}`);
  return command;
}

/** The runner's own arguments at a site, with the user's extra ones when they land there (the last command). */
function siteArgList(invocation: ScriptInvocation, site: RunnerSite): Arg[] {
  const own: Arg[] = commandAt(invocation, site).words.slice(site.word + 1);
  if (site.command !== invocation.commands.length - 1) return own;
  return [...own, ...invocation.extra];
}

export function siteArgs(invocation: ScriptInvocation, site: RunnerSite): string[] {
  return siteArgList(invocation, site).map((arg) => arg.value);
}

/**
 * The shell text of `values`, which singleRun made from `args`: the words the script has
 * as written, so that the shell still expands its `$VAR`s and globs; what 3pio added or
 * changed, quoted.
 */
function asWritten(values: string[], args: Arg[]): string[] {
  let next = 0;
  return values.map((value) => {
    const at = args.findIndex((arg, i) => i >= next && arg.value === value);
    const arg = args[at];
    if (arg === undefined) return quote(value);
    next = at + 1;
    return arg.raw;
  });
}

function viaPackageManager(invocation: ScriptInvocation, injectionFor: InjectionFor): ExecutionPlan | undefined {
  const { commands, sites, packageManager, launcher, extraArgs } = invocation;
  const [site] = sites;
  // Through a script that calls another (`npm run unit`), the package manager would take the options for its own.
  if (site === undefined || sites.length > 1 || site.nested !== undefined) return undefined;
  if (site.command !== commands.length - 1 || commandAt(invocation, site).after !== undefined) return undefined;
  const { runner } = site;
  const all = siteArgs(invocation, site);
  const injection = injectionFor(runner, all);
  // Only appending is possible: the script's own words cannot change this way.
  if (all.includes('--') || singleRun(runner, all).note !== undefined) return undefined;
  const additions = [
    ...(runner === 'vitest' && all[0] !== 'run' ? ['--run'] : []),
    ...(runner === 'mocha' ? [MOCHA_SINGLE_RUN] : []),
    ...injection.args,
  ];
  const forwarded = [...extraArgs, ...additions];
  // npm forwards what follows `--`; yarn and `pnpm run` forward everything after the script
  // name (`pnpm test` would read the options as its own: "Unknown option: 'reporters'").
  const [file, launcherArgs] = programOf(
    packageManager === 'pnpm' && launcher[1] !== 'run' ? ['pnpm', 'run', invocation.scriptName] : launcher,
  );
  const args = [...launcherArgs, ...(packageManager === 'npm' ? ['--'] : []), ...forwarded];
  return { runners: [runner], file, args, env: injection.env, notes: notesOf(injection), display: display(file, args) };
}

/** Every runner a script starts, also through the scripts it calls. */
function runnersOf(invocation: ScriptInvocation): RunnerName[] {
  return invocation.sites.flatMap((site) => (site.nested === undefined ? [site.runner] : runnersOf(site.nested)));
}

function viaShell(invocation: ScriptInvocation, injectionFor: InjectionFor, projectRoot: string): ExecutionPlan {
  const { commands, sites, scriptName } = invocation;
  const runners = runnersOf(invocation);
  const notes = [
    `3pio runs the "${scriptName}" script's commands itself, to add its reporter to ${[...new Set(runners)].join(' and ')}; pre/post scripts are not run`,
  ];
  let env: Record<string, string> = {};
  const parts: string[] = [];
  for (const [index, command] of commands.entries()) {
    let words = command.words.map((word) => word.raw);
    if (index === commands.length - 1) words = [...words, ...invocation.extra.map((arg) => arg.raw)];
    const site = sites.find((candidate) => candidate.command === index);
    if (site?.nested !== undefined) {
      // The called script's commands, run by a shell of their own in the same place (it got
      // the arguments the package manager appends to this command when it was detected).
      const inner = viaShell(site.nested, injectionFor, projectRoot);
      env = { ...env, ...inner.env };
      notes.push(...inner.notes);
      words = [...command.words.slice(0, site.word).map((word) => word.raw), 'sh', '-c', quote(inner.display)];
    } else if (site !== undefined) {
      const before = command.words.slice(0, site.word + 1).map((word) => word.raw);
      const argList = siteArgList(invocation, site);
      const userArgs = argList.map((arg) => arg.value);
      const injection = injectionFor(site.runner, userArgs);
      env = { ...env, ...injection.env };
      const { args, note } = singleRun(site.runner, userArgs);
      notes.push(...notesOf(injection), ...(note === undefined ? [] : [note]));
      words = [...before, ...addInjection(asWritten(args, argList), injection.args.map(quote))];
    }
    parts.push(words.join(' '), ...(command.after === undefined ? [] : [command.after]));
  }
  const script = parts.join(' ');
  return { runners, file: 'sh', args: ['-c', script], env: { ...env, PATH: scriptPath(projectRoot) }, notes, display: script };
}

export function planExecution(invocation: Invocation, injectionFor: InjectionFor, projectRoot: string): ExecutionPlan {
  if (invocation.kind === 'script') return viaPackageManager(invocation, injectionFor) ?? viaShell(invocation, injectionFor, projectRoot);
  const { runner, launcher, runnerArgs } = invocation;
  const injection = injectionFor(runner, runnerArgs);
  const { args, note } = singleRun(runner, runnerArgs);
  const [file, launcherArgs] = programOf(launcher);
  const all = [...launcherArgs, ...addInjection(args, injection.args)];
  // A bare `jest` finds the project's own, as `npx jest` would.
  const env = { ...injection.env, PATH: scriptPath(projectRoot) };
  return {
    runners: [runner],
    file,
    args: all,
    env,
    notes: [...notesOf(injection), ...(note === undefined ? [] : [note])],
    display: display(file, all),
  };
}
