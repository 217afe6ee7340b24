export const HELP = `3pio: runs your test command and turns every Jest, Vitest and Mocha run in it into
short console output and Markdown reports that a coding agent can read file by file.

Usage:
  3pio [options] <command…>         run the command and report its test runs
  3pio replay <ipc.jsonl | ->       rebuild the reports from a recorded event file (- reads stdin)

Options:
  -h, --help       show this help
  -v, --version    show the version

Any command that runs Node.js test runners works, as you would type it:
  3pio npm test                     3pio npx vitest run src/      3pio npx mocha
  3pio npm test --workspaces        3pio pnpm -r test             3pio yarn workspaces run test
  3pio npx nx run-many -t test      3pio npx turbo run test       3pio node scripts/test.mjs

3pio runs the command unchanged, with its own preload in NODE_OPTIONS. In every Jest,
Vitest or Mocha process the command starts (directly, through npm/pnpm/yarn scripts and
workspaces, Nx, Turborepo, or a script of yours) the preload adds 3pio's reporter inside
the runner: your arguments, config, reporters and process.argv stay as they are. Watch
mode is turned into a single run. Jest 29-30, Vitest 3-4, Mocha 10-11; Node.js ≥ 20.19.

Reports go to .3pio/runs/<run id>/ in the current directory:
  test-run.md               the session: status, totals, each run, every test file
  reports/<file>/index.md   one test file: its tests, failures in full, its output
  output.log                the command's own output
  ipc.jsonl                 the events the runners' reporters sent

Exit code: the command's own; 128+N if it died of signal N (130 after Ctrl-C, 143
after SIGTERM); 1 when the command exited 0 but the run is incomplete (a test file
started and never finished, a runner stopped early, files announced and never run);
2 for a command line 3pio cannot use (nothing was run); 127 when the command could
not be started; 125 when 3pio itself failed or cannot write its run directory.
`;
