import type { TestCase, TestSuite } from 'vitest/node';

/** The titles of the `describe` blocks around `entity`, outermost first (the file is not one). */
export function suiteChain(entity: TestCase | TestSuite): string[] {
  const titles: string[] = [];
  for (let parent = entity.parent; parent.type === 'suite'; parent = parent.parent) titles.unshift(parent.name);
  return titles;
}
