/**
 * One line of the IPC file → at most one event, plus what was wrong with the line.
 * Nothing that can be saved is dropped: unknown types and invalid payloads still
 * become events (seed §7), and half a line left by a killed writer does not take the
 * next writer's event down with it.
 */
import type { z } from 'zod';
import type { IpcEvent, KnownEventType } from '../events/schemas.js';
import { isKnownEventType, wellFormedEvent } from '../events/well-formed.js';
import type { IpcReadErrorKind } from './read-error.js';

export interface LineProblem {
  kind: IpcReadErrorKind;
  message: string;
}

export interface ParsedLine {
  event?: IpcEvent;
  problems?: LineProblem[];
}

const EVENT_START = '{"eventType":';
const SNIPPET_CHARS = 120;

/**
 * V8 parses deeply nested JSON slowly (about two seconds for a 7 MB line of `[`), and
 * in one blocking call. No writer's event nests anywhere near this deep, so a long line
 * that does is refused before it is parsed. Short lines cannot nest deep enough to matter.
 */
export const MAX_NESTING = 64;
const NESTING_CHECKED_FROM_CHARS = 64 * 1024;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** True when the JSON text opens more than MAX_NESTING objects and arrays at once. */
function nestsTooDeep(text: string): boolean {
  if (text.length < NESTING_CHECKED_FROM_CHARS) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i += 1;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth += 1;
      if (depth > MAX_NESTING) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth -= 1;
    }
  }
  return false;
}

/** The JSON value of `text`, or the reason there is none. */
function parseJson(text: string): { value: unknown } | { error: string } {
  if (nestsTooDeep(text)) return { error: `nested more than ${MAX_NESTING} levels deep, as no event is` };
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function snippet(text: string): string {
  return JSON.stringify(text.length > SNIPPET_CHARS ? `${text.slice(0, SNIPPET_CHARS)}…` : text);
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => `${issue.path.join('.') || '(event)'}: ${issue.message}`);
}

type EventSchemas = (typeof import('../events/schemas.js'))['eventSchemas'];

interface Schemas {
  eventSchemas: EventSchemas;
  /** Payload fields that may be absent, per event type: the ones partial delivery may drop. */
  optionalPayloadFields: Map<KnownEventType, Set<string>>;
}
let loaded: Schemas | undefined;

/**
 * The zod schemas, for the events that are not well formed (well-formed.ts). The package's
 * main entry loads them anyway and hands them over here; through `@3pio/ipc/reader` they
 * are loaded the first time an event needs them, so a run whose events are all well
 * formed never loads zod.
 */
export function useEventSchemas(eventSchemas: EventSchemas): Schemas {
  loaded ??= {
    eventSchemas,
    optionalPayloadFields: new Map(
      Object.entries(eventSchemas).map(([type, schema]) => {
        const shape = schema.shape.payload.shape as Record<string, z.ZodType>;
        const optional = Object.keys(shape).filter((key) => shape[key]?.safeParse(undefined).success);
        return [type as KnownEventType, new Set(optional)];
      }),
    ),
  };
  return loaded;
}

function schemas(): Schemas {
  if (loaded !== undefined) return loaded;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand (see above)
  const { eventSchemas } = require('../events/schemas.js') as typeof import('../events/schemas.js');
  return useEventSchemas(eventSchemas);
}

/** The envelope's run and timestamp, where valid and not among the fields `dropped`: what an event keeps whatever its payload. */
function envelopeOf(raw: Record<string, unknown>, dropped: ReadonlySet<string> = new Set()): { run?: string; timestamp?: number } {
  const envelope: { run?: string; timestamp?: number } = {};
  if (typeof raw.run === 'string' && raw.run !== '' && !dropped.has('run')) envelope.run = raw.run;
  if (typeof raw.timestamp === 'number' && !dropped.has('timestamp')) envelope.timestamp = raw.timestamp;
  return envelope;
}

function validate(type: KnownEventType, raw: Record<string, unknown>): ParsedLine {
  const event = wellFormedEvent(type, raw);
  return event === undefined ? validateWithSchemas(type, raw) : { event };
}

function validateWithSchemas(type: KnownEventType, raw: Record<string, unknown>): ParsedLine {
  const { eventSchemas, optionalPayloadFields } = schemas();
  const schema = eventSchemas[type];
  const first = schema.safeParse(raw);
  if (first.success) return { event: first.data };

  // Drop the optional fields (and the timestamp) that failed, and keep the rest.
  const issues = describeIssues(first.error.issues);
  const payload = typeof raw.payload === 'object' && raw.payload !== null ? { ...raw.payload } : raw.payload;
  const optional = optionalPayloadFields.get(type);
  const dropped = new Set<string>();
  let droppable = typeof payload === 'object' && payload !== null;
  for (const { path } of first.error.issues) {
    const [top, field] = path;
    if (top === 'timestamp' || top === 'run') {
      dropped.add(top);
    } else if (top === 'payload' && typeof field === 'string' && optional?.has(field)) {
      dropped.add(`payload.${field}`);
      delete (payload as Record<string, unknown>)[field];
    } else {
      droppable = false;
    }
  }
  if (droppable) {
    const second = schema.safeParse({ eventType: type, payload });
    if (second.success) {
      const event: IpcEvent = { ...second.data, ...envelopeOf(raw, dropped) };
      return {
        event,
        problems: [
          {
            kind: 'invalidPayload',
            message: `${type} event delivered without its invalid ${[...dropped].join(', ')} (${issues.join('; ')})`,
          },
        ],
      };
    }
  }
  const event: IpcEvent = {
    eventType: 'unknown',
    originalEventType: type,
    reason: 'invalidPayload',
    payload: raw.payload,
    issues,
    ...envelopeOf(raw),
  };
  return {
    event,
    problems: [
      { kind: 'invalidPayload', message: `${type} event with invalid required fields delivered as unknown (${issues.join('; ')})` },
    ],
  };
}

function fromJson(value: unknown, text: string): ParsedLine {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { problems: [{ kind: 'invalidEvent', message: `not an event object: ${snippet(text)}` }] };
  }
  const raw = value as Record<string, unknown>;
  const type = raw.eventType;
  if (typeof type !== 'string') {
    return { problems: [{ kind: 'invalidEvent', message: `no string eventType: ${snippet(text)}` }] };
  }
  if (isKnownEventType(type)) return validate(type, raw);
  return { event: { eventType: 'unknown', originalEventType: type, reason: 'unknownEventType', payload: raw.payload, ...envelopeOf(raw) } };
}

/**
 * How many event starts a torn line is tried from. A killed writer leaves one
 * unfinished event, so the event after it starts at the last or the last but one
 * start (more only when the event itself nests strings that are not escaped, which
 * the writer never produces); the bound keeps a hostile line of thousands of starts
 * linear to read.
 */
export const MAX_RECOVERY_ATTEMPTS = 16;

/**
 * The event at the last of the text's event starts at or after `from` (trying at most
 * MAX_RECOVERY_ATTEMPTS of them, from the end back) from which the rest of the text
 * parses. Every line starts with `{"eventType":`, and inside a JSON string that text
 * would have its quotes escaped.
 */
function eventFromLastStart(text: string, from: number): { at: number; parsed: ParsedLine } | undefined {
  let attempts = 0;
  for (
    let at = text.lastIndexOf(EVENT_START);
    at >= from && attempts < MAX_RECOVERY_ATTEMPTS;
    at = at === 0 ? -1 : text.lastIndexOf(EVENT_START, at - 1)
  ) {
    attempts += 1;
    const rest = text.slice(at);
    const json = parseJson(rest);
    if ('value' in json) return { at, parsed: fromJson(json.value, rest) };
  }
  return undefined;
}

/** A writer killed in the middle of a write leaves part of a line, and the next writer's complete line is appended to it. */
function recoverTornLine(text: string): ParsedLine | undefined {
  const found = eventFromLastStart(text, 1);
  if (found === undefined) return undefined;
  const torn: LineProblem = {
    kind: 'tornLine',
    message: `skipped ${found.at} characters of an incomplete line before an event: ${snippet(text.slice(0, found.at))}`,
  };
  return { ...found.parsed, problems: [torn, ...(found.parsed.problems ?? [])] };
}

/**
 * The whole event at the end of `tail`, the last bytes of a line too long to keep:
 * the event a writer appended to a killed writer's half line, when that grew past the
 * limit. Only an event that starts inside the tail and runs to the line's end counts.
 */
export function eventAtEndOf(tail: string): ParsedLine | undefined {
  const found = eventFromLastStart(tail, 0);
  return found?.parsed.event === undefined ? undefined : found.parsed;
}

export function parseLine(text: string): ParsedLine {
  const json = parseJson(text);
  if ('value' in json) return fromJson(json.value, text);
  return recoverTornLine(text) ?? { problems: [{ kind: 'invalidJson', message: `${json.error}: ${snippet(text)}` }] };
}
