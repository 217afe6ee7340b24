// What the runner adapters share: `@3pio/ipc/adapter`.
export {
  createAdapterSender,
  debugLog,
  DEBUG_LOG_ENV,
  handConfiguredNotice,
  newRunId,
  type AdapterSender,
  type AdapterSenderOptions,
  type FailureSubject,
} from './adapter-sender.js';
export { guardHook, guardListener } from './hook-guard.js';
export { failureFromError, locationFromFrames, locationFromStack, renderValue, stripAnsi, type FileFrame } from './failure-details.js';
export { TestCaseLines } from '../writer/test-case-lines.js';
export { adapterRole, currentInjection, INJECTED_OPTION, type AdapterRole, type Injection, type InjectedRunner } from '../injection.js';
export { IPC_PATH_ENV } from '../paths.js';
export { now } from '../writer/captured-globals.js';
export { announcedFiles, MAX_ANNOUNCED_FILES } from './announced-files.js';
