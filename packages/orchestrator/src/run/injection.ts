/** What 3pio adds to a runner's command line to load its adapter, per runner. */
import type { Injection } from '../command/plan.js';
import type { RunnerName } from '../command/runners.js';

export function adapterPath(runner: RunnerName): string {
  return require.resolve(`@3pio/adapter-${runner}`);
}

export function injectionFor(runner: RunnerName): Injection {
  const adapter = adapterPath(runner);
  switch (runner) {
    case 'jest':
      return { args: ['--reporters=default', `--reporters=${adapter}`], env: {} };
    case 'vitest':
      return { args: ['--reporter=default', `--reporter=${adapter}`], env: {} };
    case 'mocha':
      return { args: ['--reporter', adapter], env: {} };
  }
}
