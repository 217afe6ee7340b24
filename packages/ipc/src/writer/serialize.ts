import type { KnownEvent } from '../events/schemas.js';
import { now, stringify } from './captured-globals.js';

/**
 * One event as one line, `run` being the run it belongs to (PROTOCOL.md, "Runs"). The envelope is written in a fixed key order so that every
 * line starts with `{"eventType":`, which the reader relies on to recover the next
 * event when a killed writer left half a line in front of it. Built by concatenation:
 * this is the writer's hot path, and a new envelope object per event costs ~8%.
 */
export function serializeEvent(event: KnownEvent, run: string | undefined = event.run): string {
  const { timestamp } = event;
  const stamp = typeof timestamp === 'number' && Number.isFinite(timestamp) ? timestamp : now();
  // JSON.stringify gives undefined for an undefined payload, whatever its type says: the line must stay JSON.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
  return `{"eventType":${stringify(event.eventType)}${runField(run)},"timestamp":${stamp},"payload":${stringify(event.payload) ?? 'null'}}\n`;
}

/** The envelope's `"run"` member with its leading comma, or nothing for an event of no particular run. */
export function runField(run: string | undefined): string {
  return run === undefined || run === '' ? '' : `,"run":${stringify(run)}`;
}
