/**
 * The reader's zod-free fast path against the zod schemas, on events generated from
 * the schemas themselves: whatever the fast path accepts, the schemas accept and return
 * unchanged; and every valid event of the shape writers send is accepted by it, so the
 * fast path is the one runs actually take. A field added to a schema and not to
 * well-formed.ts fails the second property.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { eventSchemas, knownEventTypes } from '../src/events/schemas.js';
import { isKnownEventType, wellFormedEvent } from '../src/events/well-formed.js';
import { parseLine } from '../src/index.js';
import { seededRandom } from './helpers.js';

const ABSENT = Symbol('absent');
const JUNK: unknown[] = [null, [], {}, 'x', '', 3, -1, 2.5, true, ['a', 1], { message: 1 }];
const STRINGS = ['', 'a.test.js', '/p/tests/ünïcode ✓.test.js', 'x'.repeat(300), 'line\nbreak'];
const NUMBERS = [0, 1, 42, 2.5, -1, -0.5, 2 ** 53 + 2, 1e-9];

interface Generator {
  random: () => number;
  /** Chance of a value of the wrong kind, a missing field, an unknown field. */
  junk: number;
}

function pick<T>(random: () => number, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)] as T;
}

/** A value for `schema`: of the kind it asks for (not always valid: zod has the last word), or junk. */
function sample(schema: z.ZodType, gen: Generator): unknown {
  const { random, junk } = gen;
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  if (def.type === 'optional') return random() < 0.4 ? ABSENT : sample(def.innerType as z.ZodType, gen);
  if (random() < junk) return random() < 0.5 ? ABSENT : pick(random, JUNK);
  switch (def.type) {
    case 'object': {
      const value: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(def.shape as Record<string, z.ZodType>)) {
        const fieldValue = sample(field, gen);
        if (fieldValue !== ABSENT) value[key] = fieldValue;
      }
      if (random() < junk) value[pick(random, ['extra', '__proto__', 'constructor'])] = 1;
      return value;
    }
    case 'string':
      return pick(random, STRINGS);
    case 'number':
      return pick(random, NUMBERS);
    case 'boolean':
      return random() < 0.5;
    case 'enum':
      return pick(random, Object.values(def.entries as Record<string, string>));
    case 'literal':
      return pick(random, def.values as unknown[]);
    case 'array':
      return Array.from({ length: Math.floor(random() * 3) }, () => sample(def.element as z.ZodType, gen));
    default:
      throw new Error(`the generator does not know zod type ${def.type}: teach it, and well-formed.ts`);
  }
}

describe('wellFormedEvent (the reader’s fast path)', () => {
  it('accepts only what the schemas accept, and returns it as the schemas would', () => {
    const gen = { random: seededRandom(1), junk: 0.08 };
    let accepted = 0;
    let rejected = 0;
    for (let i = 0; i < 20_000; i += 1) {
      const type = pick(gen.random, knownEventTypes);
      const raw = sample(eventSchemas[type], gen);
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) continue;
      const fast = wellFormedEvent(type, raw as Record<string, unknown>);
      const byZod = eventSchemas[type].safeParse(raw);
      if (fast === undefined) {
        rejected += 1;
        continue;
      }
      accepted += 1;
      expect(byZod.success, JSON.stringify(raw)).toBe(true);
      expect(byZod.data, JSON.stringify(raw)).toEqual(fast);
    }
    // Both ways taken, often: the property says something.
    expect(accepted).toBeGreaterThan(1000);
    expect(rejected).toBeGreaterThan(1000);
  });

  it('accepts every valid event that has no field the protocol does not know', () => {
    const gen = { random: seededRandom(2), junk: 0 };
    let valid = 0;
    for (let i = 0; i < 20_000; i += 1) {
      const type = pick(gen.random, knownEventTypes);
      const raw = sample(eventSchemas[type], gen) as Record<string, unknown>;
      if (!eventSchemas[type].safeParse(raw).success) continue;
      valid += 1;
      expect(wellFormedEvent(type, raw), JSON.stringify(raw)).toBe(raw);
    }
    expect(valid).toBeGreaterThan(1000);
  });

  it('knows the same event types as the schemas', () => {
    for (const type of knownEventTypes) expect(isKnownEventType(type)).toBe(true);
    for (const type of ['unknown', 'toString', '__proto__', 'constructor', 'testcase']) expect(isKnownEventType(type)).toBe(false);
  });

  it('leaves what is not well formed to the schemas, which still explain it', () => {
    const line = JSON.stringify({
      eventType: 'testCase',
      payload: { filePath: 'a.test.js', testName: 'adds', status: 'PASS', duration: -1 },
    });
    expect(parseLine(line).problems).toEqual([{ kind: 'invalidPayload', message: expect.stringContaining('payload.duration') }]);
  });
});
