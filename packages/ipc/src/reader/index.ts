// The reading half alone, `@3pio/ipc/reader`, for the orchestrator: unlike the package's
// main entry it does not load zod, until an event that is not well formed needs it.
export { IpcManager, type IpcManagerOptions, type IpcManagerStats, type WatcherState } from './ipc-manager.js';
export type { FileWatcher, FileWatcherHandlers, WatcherFactory } from './file-watcher.js';
export { parseLine, type LineProblem, type ParsedLine } from './parse-line.js';
export type { IpcReadError, IpcReadErrorKind } from './read-error.js';
