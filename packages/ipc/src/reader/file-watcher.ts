/**
 * Tells the manager that the IPC file may have changed. chokidar throttles its
 * `change` events to one per 50 ms and drops the rest, so the `raw` events (every
 * fs.watch notification) are what keeps delivery latency low; `all` covers the
 * add/unlink events of a replaced file.
 */
export interface FileWatcher {
  close(): Promise<void>;
}

export interface FileWatcherHandlers {
  onChange: () => void;
  onError: (error: unknown) => void;
}

export type WatcherFactory = (path: string, usePolling: boolean, handlers: FileWatcherHandlers) => Promise<FileWatcher>;

export const chokidarWatcher: WatcherFactory = async (path, usePolling, { onChange, onError }) => {
  // Loaded on first use: adapters import this package only to write, and never pay for it.
  const { watch } = await import('chokidar');
  const watcher = watch(path, { persistent: true, ignoreInitial: true, usePolling, interval: 50, atomic: false });
  watcher.on('raw', onChange);
  watcher.on('all', onChange);
  watcher.on('error', onError);
  await new Promise<void>((resolve) => watcher.once('ready', resolve));
  return watcher;
};
