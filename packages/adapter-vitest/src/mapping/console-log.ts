import type { StdoutChunkEvent } from '@3pio/ipc';
import type { Reporter, TestCase, TestModule, TestSuite, Vitest } from 'vitest/node';
import { moduleFile } from './module-file.js';
import { suiteChain } from './suite-chain.js';

export type UserConsoleLog = Parameters<NonNullable<Reporter['onUserConsoleLog']>>[0];
/** stdoutChunk and stderrChunk share this payload. */
type OutputChunkPayload = StdoutChunkEvent['payload'];
type ReportedEntity = TestModule | TestSuite | TestCase;

/**
 * The test, suite or file a log's taskId names. Vitest's public reporter API has no lookup
 * by id in 3.x; `state.idMap` + `state.getReportedEntity` exist in 3.2 and 4.x (what
 * Vitest's own reporters use), so they are called defensively: an unknown id yields nothing.
 */
function ownerOf(vitest: Vitest, taskId: string): ReportedEntity | undefined {
  const state = vitest.state as Partial<Vitest['state']> | undefined;
  const task = state?.idMap?.get(taskId);
  return task === undefined ? undefined : state?.getReportedEntity?.(task);
}

/** The chunk payload of a console call, attributed to its file and, if it has one, its test. */
export function outputChunkPayload(vitest: Vitest, log: UserConsoleLog): OutputChunkPayload | undefined {
  if (log.taskId === undefined) return undefined;
  const owner = ownerOf(vitest, log.taskId);
  if (owner === undefined) return undefined;
  if (owner.type === 'module') return { ...moduleFile(owner), chunk: log.content };
  const payload: OutputChunkPayload = { ...moduleFile(owner.module), chunk: log.content };
  if (owner.type === 'test') {
    payload.testName = owner.name;
    payload.ancestorTitles = suiteChain(owner);
  } else {
    payload.ancestorTitles = [...suiteChain(owner), owner.name];
  }
  return payload;
}
