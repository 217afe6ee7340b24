export { realRunnerTests as default } from '../../tools/test-kit/vitest-shared.mts';
