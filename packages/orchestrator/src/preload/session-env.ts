/**
 * How a 3pio session reaches the processes of the user's command: NODE_OPTIONS gets
 * `--require <run dir>/preload.cjs`, a two-line file written for the session that starts
 * the preload with the session's IPC file. The session travels in NODE_OPTIONS alone, the
 * one variable task runners that filter the environment still pass on (Turborepo's strict
 * mode does). THREEPIO_IPC_PATH is set too, for writers that follow the protocol without the
 * preload. In a runner's process both leave the environment again once its run starts, so
 * that its workers and the processes its tests start do not inherit them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IPC_PATH_ENV } from '@3pio/ipc/paths';

export const SESSION_PRELOAD = 'preload.cjs';

/**
 * `--require "<path>"`: NODE_OPTIONS splits on spaces and understands double quotes with
 * backslash escapes inside them (not single quotes).
 */
export function preloadOption(preloadPath: string): string {
  return `--require "${preloadPath.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** The user's NODE_OPTIONS with the preload added after their own options. */
export function withPreload(nodeOptions: string | undefined, preloadPath: string): string {
  const own = nodeOptions?.trim() ?? '';
  return own === '' ? preloadOption(preloadPath) : `${own} ${preloadOption(preloadPath)}`;
}

/** NODE_OPTIONS as it was before 3pio added the preload: undefined when nothing else is left. */
export function withoutPreload(nodeOptions: string | undefined, preloadPath: string): string | undefined {
  if (nodeOptions === undefined) return undefined;
  const rest = nodeOptions.replace(preloadOption(preloadPath), '').trim();
  return rest === '' ? undefined : rest;
}

/** Writes the session's preload into the run directory; returns its path. */
export function writeSessionPreload(runDir: string, ipcPath: string, preloadModule: string): string {
  const path = join(runDir, SESSION_PRELOAD);
  const text = `// Written by 3pio for this session: starts its preload in every Node.js process of the command.
require(${JSON.stringify(preloadModule)}).startSession(${JSON.stringify(ipcPath)}, __filename);
`;
  writeFileSync(path, text, { mode: 0o600 });
  return path;
}

/** The environment of the command 3pio runs. */
export function sessionEnvironment(env: NodeJS.ProcessEnv, session: { ipcPath: string; preloadPath: string }): NodeJS.ProcessEnv {
  return { ...env, NODE_OPTIONS: withPreload(env.NODE_OPTIONS, session.preloadPath), [IPC_PATH_ENV]: session.ipcPath };
}

/** In a runner's process: the session leaves the environment its workers and tests inherit. */
export function leaveSession(env: NodeJS.ProcessEnv, preloadPath: string): void {
  const nodeOptions = withoutPreload(env.NODE_OPTIONS, preloadPath);
  if (nodeOptions === undefined) delete env.NODE_OPTIONS;
  else env.NODE_OPTIONS = nodeOptions;
  delete env[IPC_PATH_ENV];
}
