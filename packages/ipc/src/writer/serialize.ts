import type { KnownEvent } from '../events/schemas.js';

/**
 * One event as one line. The envelope is rebuilt in a fixed key order so that every
 * line starts with `{"eventType":`, which the reader relies on to recover the next
 * event when a killed writer left half a line in front of it.
 */
export function serializeEvent(event: KnownEvent): string {
  return `${JSON.stringify({
    eventType: event.eventType,
    timestamp: event.timestamp ?? Date.now(),
    payload: event.payload,
  })}\n`;
}
