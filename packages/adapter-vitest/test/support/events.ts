/** Typed views of the events read back from an IPC file. */
import type { IpcEvent, KnownEvent } from '@3pio/ipc';

type EventType = KnownEvent['eventType'];
export type PayloadOf<T extends EventType> = Extract<KnownEvent, { eventType: T }>['payload'];

/** The payloads of the events of one type, in file order. */
export function eventsOf<T extends EventType>(events: readonly IpcEvent[], type: T): PayloadOf<T>[] {
  // The filter narrows on eventType; TypeScript cannot follow that through the generic.
  return events.filter((event) => event.eventType === type).map((event) => event.payload as PayloadOf<T>);
}

/** A test's identity across reports: its suite chain and name. */
export function testKey(ancestorTitles: readonly string[] | undefined, testName: string): string {
  return [...(ancestorTitles ?? []), testName].join(' > ');
}
