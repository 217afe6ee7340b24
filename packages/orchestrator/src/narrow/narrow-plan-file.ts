import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NARROW_PLAN, type NarrowPlan } from './narrow-plan.js';

/** Written before the command starts, owner-only like every file of the run. */
export function writeNarrowPlan(runDir: string, plan: NarrowPlan): void {
  writeFileSync(join(runDir, NARROW_PLAN), `${JSON.stringify(plan)}\n`, { mode: 0o600, flag: 'wx' });
}
