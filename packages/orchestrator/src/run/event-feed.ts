/**
 * The events of an IPC file, handed one by one to a consumer as they are read: during a
 * run (RunSession) and when `3pio last` rebuilds a finished run's state from its file.
 */
import type { IpcEvent, IpcManagerOptions } from '@3pio/ipc';

export interface EventFeed {
  /** Reads every event still in the file; resolves once the consumer has taken all of them. */
  drain(): Promise<void>;
}

export async function followEvents(
  ipcPath: string,
  options: IpcManagerOptions,
  onEvent: (event: IpcEvent) => void,
  onProblem: () => void,
): Promise<EventFeed> {
  // Loaded here, not at startup: `3pio` loads the reader while the runner is already
  // starting. `@3pio/ipc/reader`, not the main entry, which would load zod (~40 ms).
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand, not at start-up (see above)
  const { IpcManager: Manager } = require('@3pio/ipc/reader') as typeof import('@3pio/ipc/reader');
  const manager = await Manager.create(ipcPath, options);
  manager.onError(onProblem);
  const consuming = (async () => {
    for await (const event of manager.watchEvents()) onEvent(event);
  })();
  return {
    async drain() {
      await manager.cleanup();
      await consuming;
    },
  };
}
