/**
 * Which runner versions 3pio supports, and what the preload does with an older one: it
 * registers no adapter (the runner's reporter API there is not the one the adapter
 * speaks, or is not tested), leaves the runner to run as it would without 3pio, and says
 * so in the session's events, where 3pio prints it at once and the summary explains the
 * missing results: never a silent run with zero tests.
 */
import type { InjectedRunner } from '@3pio/ipc/injection';
import { leaveSession } from './session-env.js';

interface Oldest {
  /** The runner's name as its users write it. */
  name: string;
  major: number;
  minor: number;
}

/**
 * Jest 27: jest-circus by default, and the oldest tested. Mocha 8: the oldest with
 * `--parallel`. Vitest 2.1: the oldest with the reported-task API the adapter's
 * Vitest 2.1 hooks rely on (adapter-vitest/src/vitest2).
 */
export const OLDEST_SUPPORTED: Record<InjectedRunner, Oldest> = {
  jest: { name: 'Jest', major: 27, minor: 0 },
  mocha: { name: 'Mocha', major: 8, minor: 0 },
  vitest: { name: 'Vitest', major: 2, minor: 1 },
};

/** `27`, `2.1`: the oldest supported version, as the message says it. */
function oldestShown({ major, minor }: Oldest): string {
  return minor === 0 ? String(major) : `${major}.${minor}`;
}

/** True when `version` (a package.json version) is older than 3pio supports for `runner`; unreadable versions are given the benefit of the doubt. */
export function isOlderThanSupported(runner: InjectedRunner, version: string | undefined): boolean {
  const match = /^(\d+)\.(\d+)/.exec(version ?? '');
  if (match === null) return false;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  const oldest = OLDEST_SUPPORTED[runner];
  return major < oldest.major || (major === oldest.major && minor < oldest.minor);
}

/** What 3pio says of an unsupported version, before the run and in its summary. */
export function unsupportedMessage(runner: InjectedRunner, version: string): string {
  const oldest = OLDEST_SUPPORTED[runner];
  return `${oldest.name} ${version} is older than 3pio supports (${oldestShown(oldest)} and later): running it without 3pio's reports`;
}

/**
 * In the process of a runner too old for 3pio, as its run starts: a run of its own in the
 * session's events (runStart with `unsupported` and the message as a note, then
 * runComplete: nothing more will come), and the session leaves the environment, so that
 * the runner's workers and tests run without the preload.
 */
export function announceUnsupported(runner: InjectedRunner, version: string, ipcPath: string, preloadPath: string): void {
  leaveSession(process.env, preloadPath);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the writer is loaded only in a runner's process, and only here
  const { createAdapterSender } = require('@3pio/ipc/adapter') as typeof import('@3pio/ipc/adapter');
  const sender = createAdapterSender(process.cwd(), { ipcPath });
  sender.beginRun();
  const message = unsupportedMessage(runner, version);
  sender.send({
    eventType: 'runStart',
    payload: {
      runner,
      runnerVersion: version,
      pid: process.pid,
      cwd: process.cwd(),
      argv: process.argv.slice(2),
      notes: [message],
      unsupported: message,
    },
  });
  sender.send({ eventType: 'runComplete', payload: { runner, pid: process.pid } });
}
