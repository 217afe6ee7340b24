/**
 * junit.xml checked by libxml2 (xmllint, compiled to WebAssembly: no system package
 * needed): validated against the JUnit schema in fixtures/junit, and read back with
 * XPath, so the counts compared are the ones a CI server's XML parser would see.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { memoryPages, validateXML } from 'xmllint-wasm';

const schema = { fileName: 'JUnit.xsd', contents: readFileSync(join(__dirname, '..', 'fixtures', 'junit', 'JUnit.xsd'), 'utf8') };

export interface JunitCheck {
  valid: boolean;
  errors: string[];
  /** What the XPath expression gave, as xmllint prints it. */
  value: string;
}

/** Validates `xml` against the schema and evaluates `xpath` over it. */
export async function checkJunit(xml: string, xpath = "string('')"): Promise<JunitCheck> {
  const result = await validateXML({
    xml: { fileName: 'junit.xml', contents: xml },
    schema,
    maxMemoryPages: memoryPages.GiB,
    modifyArguments: (args) => ['--xpath', xpath, ...args],
  });
  return { valid: result.valid, errors: result.errors.map((error) => error.rawMessage), value: result.normalized.replace(/\n$/, '') };
}

export interface JunitCounts {
  /** Counted from the elements. */
  cases: number;
  failures: number;
  errors: number;
  skipped: number;
  /** What `<testsuites>` says. */
  declared: { tests: number; failures: number; errors: number; skipped: number };
  /** The `<testsuite>` attributes, added up. */
  suites: { count: number; tests: number; failures: number; errors: number; skipped: number };
}

const COUNTS = [
  'count(//testcase)',
  'count(//testcase/failure)',
  'count(//testcase/error)',
  'count(//testcase/skipped)',
  '/testsuites/@tests',
  '/testsuites/@failures',
  '/testsuites/@errors',
  '/testsuites/@skipped',
  'count(//testsuite)',
  'sum(//testsuite/@tests)',
  'sum(//testsuite/@failures)',
  'sum(//testsuite/@errors)',
  'sum(//testsuite/@skipped)',
];

/** Validates `xml` (throwing with libxml2's messages when it is not valid) and reads its counts back. */
export async function junitCounts(xml: string): Promise<JunitCounts> {
  const { valid, errors, value } = await checkJunit(xml, `concat(${COUNTS.join(", ' ', ")})`);
  if (!valid) throw new Error(`junit.xml is not valid against JUnit.xsd:\n${errors.slice(0, 20).join('\n')}`);
  const n = value.split(' ').map(Number);
  const at = (index: number) => n[index] ?? Number.NaN;
  return {
    cases: at(0),
    failures: at(1),
    errors: at(2),
    skipped: at(3),
    declared: { tests: at(4), failures: at(5), errors: at(6), skipped: at(7) },
    suites: { count: at(8), tests: at(9), failures: at(10), errors: at(11), skipped: at(12) },
  };
}
