// @ts-check
// typescript-eslint's strict, type-aware rules on every package's sources and tests and
// on the shared test kit; ESLint's recommended rules on the plain JavaScript (benchmarks,
// e2e, examples, tools). Formatting is Prettier's job, not ESLint's.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/.3pio/**', '**/test/fixtures/**', 'examples/*/tests/**'],
  },
  {
    files: ['**/*.{js,cjs,mjs}'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.{ts,mts}'],
    extends: [js.configs.recommended, ...tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: {
        // Sources are checked with their build config (CommonJS output), tests with the test config.
        project: ['packages/*/tsconfig.build.json', 'packages/*/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // process.env and copies of it can only be unset with delete; so can a payload's invalid field.
      '@typescript-eslint/no-dynamic-delete': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Numbers read naturally in messages and Markdown; the rule's other guards stay on.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `(x) => list.push(x)` and `() => (a = b)` are clear; a void returned elsewhere is still an error.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
    },
  },
  {
    // A wrong `!` in a test fails that test with a TypeError, which is what a test should do.
    files: ['packages/*/test/**/*.ts', 'tools/test-kit/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Vitest types its asymmetric matchers (expect.stringContaining…) as any.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      // Fakes implement async interfaces; an async function that throws must reject, not throw.
      '@typescript-eslint/require-await': 'off',
      // Tests compare methods by identity (is process.stdout.write ours or the original?).
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
