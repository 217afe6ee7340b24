// Shared helpers for the adapter and CLI tests (not a published package).
export { createFixtureProject, linkWorkspacePackages, type FixtureProject } from './fixture-project.js';
export { installPackages, workspaceRoot } from './install-packages.js';
export { runProcess, type ProcessResult } from './run-process.js';
