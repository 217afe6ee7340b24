/**
 * The wire protocol: one JSON object per line, `{"eventType", "payload", "timestamp"?}`.
 * The seed's five events keep their field names; everything added since is optional,
 * so a line written by an older adapter still validates. See PROTOCOL.md.
 */
import { z } from 'zod';

export const TestStatusSchema = z.enum(['PASS', 'FAIL', 'SKIP']);
export type TestStatus = z.infer<typeof TestStatusSchema>;

export const SourceLocationSchema = z.object({
  file: z.string().optional(),
  line: z.number().int().nonnegative(),
  column: z.number().int().nonnegative().optional(),
});
export type SourceLocation = z.infer<typeof SourceLocationSchema>;

/** What went wrong, as structured as the runner allows. Values are already rendered to strings. */
export const FailureDetailsSchema = z.object({
  message: z.string(),
  stack: z.string().optional(),
  expected: z.string().optional(),
  actual: z.string().optional(),
  diff: z.string().optional(),
  location: SourceLocationSchema.optional(),
});
export type FailureDetails = z.infer<typeof FailureDetailsSchema>;

const filePath = z.string().min(1);
/**
 * The project that ran the file, when the run has several (Jest `projects`, Vitest
 * projects): one test file run by two projects is two files, each with its own tests.
 */
const project = z.string().min(1).optional();
const durationMs = z.number().nonnegative();

export const RunStartPayloadSchema = z.object({
  runner: z.string().optional(),
  runnerVersion: z.string().optional(),
  pid: z.number().int().optional(),
  cwd: z.string().optional(),
  /** The project the runner ran: Jest's rootDir, Vitest's root, Mocha's working directory. */
  root: z.string().optional(),
  argv: z.array(z.string()).optional(),
  totalFiles: z.number().int().nonnegative().optional(),
  /** The test files the run will run, where the runner tells a reporter up front (Vitest, Mocha; not Jest), and there are not too many: what lets 3pio name the files that never ran. */
  testFiles: z.array(z.string()).optional(),
  /** What 3pio changed in the run, for the user to know (e.g. watch mode turned off). */
  notes: z.array(z.string()).optional(),
  /** The label of the session the run belongs to ("shard 2/4", "node-22": THREEPIO_LABEL or --label), set when runs of several sessions are merged. */
  label: z.string().optional(),
  /**
   * Set by 3pio's preload, not an adapter, for a runner version older than 3pio supports:
   * why (the same sentence is in `notes`). The runner runs without 3pio's reporter: its
   * run has no event but this one and an empty runComplete.
   */
  unsupported: z.string().optional(),
});

export const TestFileStartPayloadSchema = z.object({
  filePath,
  project,
});

export const TestCasePayloadSchema = z.object({
  filePath,
  project,
  testName: z.string(),
  /**
   * Tells apart the tests of one file (and run) that share a suite chain and title:
   * copy-pasted names, `test.each` without a placeholder. The runner's own id where it
   * has one; the same test reported again carries the same testId. Absent in older
   * events, whose same-named tests are one test to a reader.
   */
  testId: z.string().optional(),
  /** The innermost suite, as in the seed; `ancestorTitles` has the whole chain. */
  suiteName: z.string().optional(),
  ancestorTitles: z.array(z.string()).optional(),
  status: TestStatusSchema,
  /** The runner's own word for the status (`todo`, `pending`, `skipped`…). */
  runnerStatus: z.string().optional(),
  duration: durationMs.optional(),
  /** How many times the test ran, when more than once (a runner's retries); the verdict is the last attempt's. */
  attempts: z.number().int().positive().optional(),
  /** The failure message alone, as in the seed; `failure` has the details. */
  error: z.string().optional(),
  failure: FailureDetailsSchema.optional(),
});

export const TestFileResultPayloadSchema = z.object({
  filePath,
  project,
  status: TestStatusSchema,
  duration: durationMs.optional(),
  /** A failure of the file itself: it failed to load, a `beforeAll`/`afterAll` threw… */
  error: FailureDetailsSchema.optional(),
});

export const OutputChunkPayloadSchema = z.object({
  filePath,
  project,
  chunk: z.string(),
  /** Set when the runner lets the adapter attribute the output to one test. */
  testName: z.string().optional(),
  ancestorTitles: z.array(z.string()).optional(),
});

export const RunTotalsSchema = z.object({
  files: z.number().int().nonnegative().optional(),
  tests: z.number().int().nonnegative().optional(),
  passed: z.number().int().nonnegative().optional(),
  failed: z.number().int().nonnegative().optional(),
  skipped: z.number().int().nonnegative().optional(),
});

export type RunTotals = z.infer<typeof RunTotalsSchema>;

export const RunCompletePayloadSchema = z.object({
  runner: z.string().optional(),
  pid: z.number().int().optional(),
  status: TestStatusSchema.optional(),
  duration: durationMs.optional(),
  interrupted: z.boolean().optional(),
  totals: RunTotalsSchema.optional(),
  /** Errors that belong to no file (unhandled rejections, a crashed worker…). */
  errors: z.array(FailureDetailsSchema).optional(),
  /** Events of this run the adapter could not write (the IPC file failed); absent when none. */
  lostEvents: z.number().int().nonnegative().optional(),
});

/**
 * 3pio's adapter failed while handling what the runner reported (a runner shape it did
 * not expect, a global a test broke): whatever that hook should have sent is missing.
 * Not the user's failure: a reader says so and keeps the details in its log.
 */
export const AdapterErrorPayloadSchema = z.object({
  /** The runner whose adapter failed (`jest`, `vitest`, `mocha`). */
  runner: z.string(),
  /** What the adapter was doing: the runner's hook or event. */
  hook: z.string(),
  message: z.string(),
  stack: z.string().optional(),
  /** What the hook was handling, as far as the adapter could tell. */
  filePath: z.string().optional(),
  project,
  testName: z.string().optional(),
  ancestorTitles: z.array(z.string()).optional(),
});

/** The run an event belongs to (see PROTOCOL.md, "Runs"): absent in files written before runs had identities. */
export const RunIdSchema = z.string().min(1);

function eventSchema<const T extends string, P extends z.ZodObject>(eventType: T, payload: P) {
  return z.object({
    eventType: z.literal(eventType),
    run: RunIdSchema.optional(),
    /** Milliseconds since the epoch, when the event was written. */
    timestamp: z.number().optional(),
    payload,
  });
}

export const RunStartEventSchema = eventSchema('runStart', RunStartPayloadSchema);
export const TestFileStartEventSchema = eventSchema('testFileStart', TestFileStartPayloadSchema);
export const TestCaseEventSchema = eventSchema('testCase', TestCasePayloadSchema);
export const TestFileResultEventSchema = eventSchema('testFileResult', TestFileResultPayloadSchema);
export const StdoutChunkEventSchema = eventSchema('stdoutChunk', OutputChunkPayloadSchema);
export const StderrChunkEventSchema = eventSchema('stderrChunk', OutputChunkPayloadSchema);
export const RunCompleteEventSchema = eventSchema('runComplete', RunCompletePayloadSchema);
export const AdapterErrorEventSchema = eventSchema('adapterError', AdapterErrorPayloadSchema);

/** Every event type this version of the protocol knows. */
export const KnownEventSchema = z.discriminatedUnion('eventType', [
  RunStartEventSchema,
  TestFileStartEventSchema,
  TestCaseEventSchema,
  TestFileResultEventSchema,
  StdoutChunkEventSchema,
  StderrChunkEventSchema,
  RunCompleteEventSchema,
  AdapterErrorEventSchema,
]);

export const eventSchemas = {
  runStart: RunStartEventSchema,
  testFileStart: TestFileStartEventSchema,
  testCase: TestCaseEventSchema,
  testFileResult: TestFileResultEventSchema,
  stdoutChunk: StdoutChunkEventSchema,
  stderrChunk: StderrChunkEventSchema,
  runComplete: RunCompleteEventSchema,
  adapterError: AdapterErrorEventSchema,
} as const;

export type KnownEventType = keyof typeof eventSchemas;
export const knownEventTypes = Object.keys(eventSchemas) as KnownEventType[];

export type RunStartEvent = z.infer<typeof RunStartEventSchema>;
export type TestFileStartEvent = z.infer<typeof TestFileStartEventSchema>;
export type TestCaseEvent = z.infer<typeof TestCaseEventSchema>;
export type TestFileResultEvent = z.infer<typeof TestFileResultEventSchema>;
export type StdoutChunkEvent = z.infer<typeof StdoutChunkEventSchema>;
export type StderrChunkEvent = z.infer<typeof StderrChunkEventSchema>;
export type RunCompleteEvent = z.infer<typeof RunCompleteEventSchema>;
export type AdapterErrorEvent = z.infer<typeof AdapterErrorEventSchema>;
export type KnownEvent = z.infer<typeof KnownEventSchema>;

/**
 * A line the reader could not turn into a known event but did not want to lose:
 * an `eventType` this version does not know (a newer adapter), or a known type whose
 * required fields are invalid. `payload` is the line's payload as written.
 */
export const UnknownEventSchema = z.object({
  eventType: z.literal('unknown'),
  originalEventType: z.string(),
  reason: z.enum(['unknownEventType', 'invalidPayload']),
  run: RunIdSchema.optional(),
  timestamp: z.number().optional(),
  payload: z.unknown(),
  /** For `invalidPayload`: what did not validate. */
  issues: z.array(z.string()).optional(),
});
export type UnknownEvent = z.infer<typeof UnknownEventSchema>;

/** What `IpcManager.watchEvents()` delivers: narrow on `eventType`. */
export type IpcEvent = KnownEvent | UnknownEvent;
export const IpcEventSchema = z.union([KnownEventSchema, UnknownEventSchema]);
