export const HELP = `3pio: runs your test command and turns every Jest, Vitest and Mocha run in it into
short console output and Markdown reports that a coding agent can read file by file.

Usage:
  3pio [options] <command…>         run the command and report its test runs
  3pio [options] replay <ipc.jsonl | ->
                                    rebuild the reports from a recorded event file (- reads stdin)
  3pio last                         print the last run's summary again; runs nothing
  3pio [options] merge <run dir | ipc.jsonl | pack.tgz>…
                                    one run of several (shards, CI jobs, machines): every
                                    source's events in a new run directory, its reports
  3pio pack [--out <file.tgz>] [run dir]
                                    one .tgz of a finished run (.3pio/runs/latest unless
                                    given; <run id>.tgz here unless --out) for a CI
                                    artifact; prints its path

Options (before the command):
  --failed         run only what failed in the last run of the same command here: the
                   failing test files, and in them the failing tests (alias --last-failed);
                   nothing to run again (no failures, no last run): says so, exits 0
  --failed=all-if-none
                   the same, but runs the whole command when there is nothing to run again
  --label <name>   what this session is called in its reports and in a merge
                   ("shard 2/4", "node-22"); THREEPIO_LABEL otherwise
  --junit <path>   also write the run's JUnit XML to <path> (for CI; relative to the
                   current directory, missing directories are made)
  -h, --help       show this help
  -v, --version    show the version
  --               ends 3pio's options (for a command that starts with -)

Any command that runs Node.js test runners works, as you would type it:
  3pio npm test                     3pio npx vitest run src/      3pio npx mocha
  3pio npm test --workspaces        3pio pnpm -r test             3pio yarn workspaces run test
  3pio npx nx run-many -t test      3pio npx turbo run test       3pio node scripts/test.mjs

3pio runs the command unchanged, with its own preload in NODE_OPTIONS. In every Jest,
Vitest or Mocha process the command starts (directly, through npm/pnpm/yarn scripts and
workspaces, Nx, Turborepo, or a script of yours) the preload adds 3pio's reporter inside
the runner: your arguments, config, reporters and process.argv stay as they are. Watch
mode is turned into a single run. Jest 27-30, Vitest 2.1-4, Mocha 8-11; Node.js ≥ 20.19.

Reports go to .3pio/runs/<run id>/ in the current directory:
  test-run.md               the session: status, totals, each run, every test file
  reports/<file>/index.md   one test file: its tests, failures in full, its output
  junit.xml                 every test in JUnit XML, for CI (GitHub, GitLab, Jenkins, CircleCI)
  output.log                the command's own output
  ipc.jsonl                 the events the runners' reporters sent
.3pio/runs/latest is the newest finished run: .3pio/runs/latest/test-run.md. The last
20 runs are kept (THREEPIO_KEEP_RUNS=N; 0 keeps all); runs in progress are never deleted.

Exit code: the command's own; 128+N if it died of signal N (130 after Ctrl-C, 143
after SIGTERM); 1 when the command exited 0 but the run is incomplete (a test file
started and never finished, a runner stopped early, files announced and never run);
2 for a command line 3pio cannot use (nothing was run); 127 when the command could
not be started; 125 when 3pio itself failed or cannot write its run directory or the
--junit file. 3pio last exits as the run it shows did (2 when there is none).
`;
