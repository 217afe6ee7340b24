/**
 * The reporter of Mocha's `--parallel` workers (set by the main reporter with
 * `runner.workerReporter(path)`, §3.4). It keeps Mocha's buffering, which feeds the
 * main process's Spec output, and reports its file to 3pio in real time, output included.
 */
import { debugLog, type AdapterSender } from '@3pio/ipc/adapter';
import type Mocha from 'mocha';
import { createMochaSender, takeSharedRun } from './mocha-sender.js';
import { loadParallelBuffered, loadSerializableEvent } from './mocha-runtime.js';
import { FILE_SUMMARY_EVENT, type FileSummaryMessage } from './parallel/file-summary-event.js';
import { SerialRecorder } from './serial-recorder.js';

const ParallelBuffered = loadParallelBuffered();
const SerializableEvent = loadSerializableEvent();

// Read once, when the worker loads this module (before it loads any test file).
const shared = takeSharedRun();
// A worker process runs many files, one reporter each: open the IPC file once.
let sender: AdapterSender | undefined;
let batches = 0;

class ThreePioMochaWorkerReporter extends ParallelBuffered {
  private readonly recorder: SerialRecorder | undefined;

  constructor(runner: Mocha.Runner, options: Mocha.MochaOptions & { files?: string[] }) {
    super(runner, options);
    try {
      if (sender === undefined) {
        sender = createMochaSender(shared.ipcPath);
        if (shared.run !== undefined) sender.joinRun(shared.run);
      }
      const files = options.files ?? [];
      this.recorder = new SerialRecorder(runner, sender, files, files[0]);
    } catch (error) {
      debugLog(`worker not recording: ${(error as Error).stack ?? String(error)}`);
    }
  }

  override done(failures: number, callback: (result: unknown) => void): void {
    try {
      if (this.recorder !== undefined) {
        batches += 1;
        const message: FileSummaryMessage = { __mocha_id__: `3pio-${process.pid}-${batches}`, summaries: this.recorder.finish() };
        this.events.push(SerializableEvent.create(FILE_SUMMARY_EVENT, message));
      }
    } catch (error) {
      sender?.reportFailure('mocha', 'the worker summary', error);
    }
    super.done(failures, callback);
  }
}

export = ThreePioMochaWorkerReporter;
