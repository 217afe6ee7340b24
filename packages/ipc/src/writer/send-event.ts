import type { KnownEvent } from '../events/schemas.js';
import { IPC_PATH_ENV } from '../paths.js';
import { IpcWriter } from './ipc-writer.js';

const writers = new Map<string, IpcWriter>();

/**
 * Appends one event to the IPC file named by THREEPIO_IPC_PATH. Synchronous, so a
 * reporter hook can call it right before the runner exits. The descriptor stays open
 * for the life of the process (one per path), so an event costs one write(2).
 */
export function sendEvent(event: KnownEvent): void {
  const path = process.env[IPC_PATH_ENV];
  if (!path) {
    throw new Error(
      `${IPC_PATH_ENV} is not set, so sendEvent() does not know which IPC file to write. ` +
        `Run the tests through 3pio, set ${IPC_PATH_ENV} to a file path, or use new IpcWriter(path).`,
    );
  }
  let writer = writers.get(path);
  if (writer === undefined) {
    writer = new IpcWriter(path);
    writers.set(path, writer);
  }
  writer.write(event);
}
