import { eventSchemas } from './events/schemas.js';
import { useEventSchemas } from './reader/parse-line.js';

export * from './events/schemas.js';
export { sendEvent } from './writer/send-event.js';
export { IpcWriter, IPC_LOCK_ENV, type IpcWriterOptions, type LockMode } from './writer/ipc-writer.js';
export { serializeEvent } from './writer/serialize.js';
export * from './reader/index.js';
export { silentLogger, type Logger } from './logger.js';
export { IPC_PATH_ENV, THREEPIO_DIR, createRunId, ipcDirectory, ipcFilePath, isRunId } from './paths.js';

// This entry loads the schemas anyway: the reader need not load them again on demand.
useEventSchemas(eventSchemas);
