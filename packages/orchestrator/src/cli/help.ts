import { SUPPORTED_RUNNERS_HELP } from '../command/runners.js';

export const HELP = `3pio: runs your Jest, Vitest or Mocha tests and turns the run into short console
output and Markdown reports that a coding agent can read file by file.

Usage:
  3pio [options] <test command…>    run the tests
  3pio replay <ipc.jsonl>           rebuild the reports from a recorded event file

Options:
  -h, --help       show this help
  -v, --version    show the version

${SUPPORTED_RUNNERS_HELP}
Your own arguments and config are kept, reporters set in your config included; 3pio
adds its reporter (next to the runner's default one) and turns watch mode into a single
run. A script that calls another script ("test": "npm run test:unit") is followed.

Reports go to .3pio/runs/<run id>/ in the current directory:
  test-run.md               the run: status, totals, every test file with a link
  reports/<file>/index.md   one test file: its tests, failures in full, its output
  output.log                the runner's own output
  ipc.jsonl                 the events the runner's reporter sent

Exit code: the runner's own; 128+N if it died of signal N (130 after Ctrl-C, 143
after SIGTERM); 2 for a command line 3pio cannot use (nothing was run); 127 when
the command could not be started; 125 when 3pio itself failed.
`;
