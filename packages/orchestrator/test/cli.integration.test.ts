/**
 * The built `3pio` binary, run as a user would, on a project whose "jest" is a
 * scripted stand-in that ends its run in each of the ways the CLI must handle.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runProcess } from '../../../tools/test-kit/index.js';

const packageRoot = resolve(__dirname, '..');
const cli = join(packageRoot, 'dist', 'cli', 'main.js');
const ipcModule = require.resolve('@3pio/ipc');
const projects: string[] = [];
afterAll(() => {
  for (const dir of projects) rmSync(dir, { recursive: true, force: true });
});

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), '3pio-cli-'));
  projects.push(dir);
  cpSync(join(__dirname, 'fixtures', 'scripted-runner', 'package.json'), join(dir, 'package.json'));
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(join(__dirname, 'fixtures', 'scripted-runner', 'jest'), join(dir, 'node_modules', '.bin', 'jest'));
  return dir;
}

async function run3pio(args: string[], mode: string, dir = project()) {
  const result = await runProcess(process.execPath, [cli, ...args], {
    cwd: dir,
    env: { ...process.env, SCRIPTED_MODE: mode, SCRIPTED_IPC_MODULE: ipcModule },
  });
  return { ...result, dir, runDir: runDirectoryOf(dir) };
}

function runDirectoryOf(dir: string): string {
  const runs = existsSync(join(dir, '.3pio', 'runs')) ? runNames(dir) : [];
  return runs.length === 1 ? join(dir, '.3pio', 'runs', runs[0]!) : '';
}

const read = (path: string) => readFileSync(path, 'utf8');
/** The run directories of the project, oldest first: `.3pio/runs` without its `latest` link. */
const runNames = (dir: string) =>
  readdirSync(join(dir, '.3pio', 'runs'))
    .filter((name) => name !== 'latest')
    .sort();

describe('3pio on a scripted runner', () => {
  it('runs a passing suite: short console, reports, the runner’s exit code', async () => {
    const { code, stdout, stderr, dir, runDir } = await run3pio(['npx', 'jest'], 'pass');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const relativeRun = runDir.slice(dir.length + 1);
    expect(stdout.split('\n')).toEqual([
      '3pio: npx jest',
      `Run directory: ${relativeRun}`,
      `Summary report: ${relativeRun}/test-run.md`,
      'Results appear as test files finish.',
      '',
      'PASS 3 files',
      '',
      expect.stringMatching(
        /^PASSED · files: 0 failed, 3 passed \(3\) · tests: 0 failed, 4 passed, 0 skipped \(4\) · (\d+ ms|\d+\.\d s|\d+ min \d+ s)$/,
      ),
      `Summary report: ${relativeRun}/test-run.md`,
      '',
    ]);
    // 3pio adds nothing to the command line.
    expect(JSON.parse(read(join(dir, 'argv.json')))).toEqual([]);
    expect(read(join(runDir, 'test-run.md'))).toContain('- Status: **PASSED** (exit code 0)');
    expect(read(join(runDir, 'reports', 'a.test.js', 'index.md'))).toContain('**PASSED** · 1 tests: 1 passed, 0 failed, 0 skipped');
    expect(read(join(runDir, 'output.log'))).toBe(' PASS  colourful runner output\n');
    expect(read(join(runDir, 'ipc.jsonl')).split('\n').filter(Boolean)).toHaveLength(12);
    for (const path of ['test-run.md', 'output.log', 'ipc.jsonl', 'reports/a.test.js/index.md']) {
      expect(statSync(join(runDir, path)).mode & 0o777, path).toBe(0o600);
    }
    expect(statSync(runDir).mode & 0o777).toBe(0o700);
    // The project's git status stays clean.
    expect(read(join(dir, '.3pio', '.gitignore'))).toMatch(/^\*$/m);
  });

  it('names the failing file, its failing tests and its report, and exits with the runner’s code', async () => {
    const { code, stdout, runDir, dir } = await run3pio(['npm', 'test'], 'fail');
    expect(code).toBe(1);
    const report = `${runDir.slice(dir.length + 1)}/reports/c.test.js/index.md`;
    expect(stdout).toContain(`FAIL c.test.js (1 failed, 1 passed)\n  → ${report}\n  ✕ second\n`);
    expect(stdout).toMatch(/^FAILED · files: 1 failed, 2 passed \(3\) · tests: 1 failed, 3 passed, 0 skipped \(4\)/m);
    expect(read(join(runDir, 'reports', 'c.test.js', 'index.md'))).toContain('expected 1 to be 2');
    expect(JSON.parse(read(join(dir, 'argv.json')))).toEqual([]);
  });

  it('marks the file a crashed runner left unfinished as incomplete, and says the run did not complete', async () => {
    const { code, stdout, runDir } = await run3pio(['npx', 'jest'], 'crash');
    expect(code).toBe(3);
    expect(stdout).toContain(
      'INCOMPLETE c.test.js (0 failed, 1 passed) — did not finish: the command exited with code 3 before it finished',
    );
    expect(stdout).toMatch(/^FAILED · files: 0 failed, 2 passed, 1 incomplete \(3\)/m);
    expect(stdout).toContain('Run 1 (jest in .) did not complete: the command exited with code 3 before it finished.');
    expect(read(join(runDir, 'reports', 'c.test.js', 'index.md'))).toContain('**INCOMPLETE**');
    expect(read(join(runDir, 'test-run.md'))).toContain('| INCOMPLETE | [c.test.js]');
  });

  it('counts the problems it met reading the events, and logs them in 3pio.log', async () => {
    const { code, stdout, runDir } = await run3pio(['npx', 'jest'], 'garbage');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^PASSED · files: 0 failed, 3 passed/m);
    expect(stdout).toContain('2 problems reading the event file; see 3pio.log.');
    const log = read(join(runDir, '3pio.log'));
    expect(log).toMatch(/ warn IPC invalidJson at byte \d+ of .*ipc\.jsonl: .*"this is not an event"/);
    // Judged by the zod schemas, which the reader loads only for such an event.
    expect(log).toMatch(/ warn IPC invalidPayload at byte \d+ of .*: stdoutChunk event delivered without its invalid payload\.testName/);
    expect(statSync(join(runDir, '3pio.log')).mode & 0o777).toBe(0o600);
  });

  it('exits 1, not 0, when the runner exits 0 in the middle of a file (a test called process.exit(0))', async () => {
    const { code, stdout, runDir } = await run3pio(['npx', 'jest'], 'exit-zero');
    expect(code).toBe(1);
    expect(stdout).toMatch(/^INCOMPLETE c\.test\.js/m);
    expect(stdout).toMatch(/^FAILED · /m);
    expect(stdout).toContain('The command exited 0, but the run is incomplete: 3pio exits 1.');
    expect(read(join(runDir, 'test-run.md'))).toContain('- Status: **FAILED** (exit code 1)');
  });

  it('exits 1 when a run that exits 0 gave results for fewer files than it announced, and names those that never ran', async () => {
    const { code, stdout } = await run3pio(['npx', 'jest'], 'announced-more');
    expect(code).toBe(1);
    expect(stdout).toContain('Run 1 (jest in .) announced 5 test files and gave results for 3: 2 never ran: d.test.js, e.test.js.');
  });

  it('prints hostile names escaped and cut, on lines of their own, and keeps 3pio.log bounded and escaped', async () => {
    const { code, stdout, runDir } = await run3pio(['npx', 'jest'], 'hostile');
    expect(code).toBe(0);
    // eslint-disable-next-line no-control-regex -- no control character may reach the console or the log
    expect(stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect(stdout.split('\n').filter((line) => line.startsWith('PASSED'))).toEqual([]);
    expect(stdout).toContain('FAIL h\\u001b[31mostile\\r.test.js (2 failed, 0 passed)\n');
    expect(stdout).toContain('  ✕ \\u001b[2K\\rall good\\nPASSED · files: 0 failed');
    expect(Math.max(...stdout.split('\n').map((line) => line.length))).toBeLessThan(2000);
    expect(stdout).toMatch(/^FAILED · /m);
    // The report keeps the whole name.
    const report = readdirSync(join(runDir, 'reports')).find((name) => name.startsWith('h'));
    expect(read(join(runDir, 'reports', report ?? '', 'index.md'))).toContain('x'.repeat(5_000_000));
    const log = read(join(runDir, '3pio.log'));
    expect(Buffer.byteLength(log)).toBeLessThan(4 * 1024 * 1024 + 64 * 1024);
    // eslint-disable-next-line no-control-regex -- no control character may reach the console or the log
    expect(log).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect(log).toMatch(/ warn \d+ more messages were not logged: 3pio\.log stops at 4194304 bytes\.\n$/);
  });

  it('reports a runner killed by a signal with 128 + N', async () => {
    const { code, stdout, runDir } = await run3pio(['jest'], 'killed');
    expect(code).toBe(137);
    expect(stdout).toContain('did not finish: the command was killed by SIGKILL');
    expect(stdout).toMatch(/^ERROR · /m);
    expect(read(join(runDir, 'test-run.md'))).toContain('- Status: **ERROR** (exit code 137)');
  });

  it('still writes the summary when 3pio itself fails, marked ERROR with the cause, and exits 125', async () => {
    const { code, stdout, runDir } = await run3pio(['npx', 'jest'], 'blocked-reports');
    expect(code).toBe(125);
    expect(stdout).toMatch(/^ERROR · files: 0 failed, 3 passed \(3\)/m);
    expect(stdout).toMatch(/^3pio itself failed: .*(ENOTDIR|EEXIST).* \(details in 3pio\.log\)\./m);
    const summary = read(join(runDir, 'test-run.md'));
    expect(summary).toContain('- Status: **ERROR** (exit code 125)');
    expect(summary).toContain('| PASS | [c.test.js]');
    expect(read(join(runDir, '3pio.log'))).toMatch(/error 3pio failed: Error: (ENOTDIR|EEXIST)/);
  });

  it('shows the end of the command’s output when it fails before any runner reported', async () => {
    const { code, stdout, runDir } = await run3pio(['npx', 'jest'], 'nothing');
    expect(code).toBe(1);
    expect(stdout).toContain(
      "No test runner reported a run. The end of the command's output:\nError: Cannot find module 'ts-jest'\n    at resolve (config.js:1:1)\n",
    );
    expect(stdout).toMatch(/^ERROR · runs: 0 · files: 0 failed, 0 passed \(0\)/m);
    expect(read(join(runDir, 'test-run.md'))).toContain(
      'The command failed (exit code 1) before any test runner reported a run; see output.log.',
    );
  });

  it('says so when the command ran no test runner at all, and exits as the command did', async () => {
    const { code, stdout, runDir } = await run3pio(['node', '-e', "console.log('just a script')"], 'pass');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^NO TESTS · runs: 0 · files: 0 failed, 0 passed \(0\)/m);
    expect(stdout).toContain(
      "No Jest, Vitest or Mocha run was reported: `node -e 'console.log('\\''just a script'\\'')'` ran no test runner that 3pio can see.",
    );
    expect(read(join(runDir, 'output.log'))).toBe('just a script\n');
  });

  it('exits 127 when the command does not exist', async () => {
    const { code, stdout } = await run3pio(['no-such-program-3pio', 'test'], 'pass');
    expect(code).toBe(127);
    expect(stdout).toContain('Could not start no-such-program-3pio: spawn no-such-program-3pio ENOENT');
  });

  it('finishes the run and its reports when the console reader goes away (`3pio npm test | head`)', async () => {
    const dir = project();
    const child = spawn(process.execPath, [cli, 'npm', 'test'], {
      cwd: dir,
      env: { ...process.env, SCRIPTED_MODE: 'fail', SCRIPTED_IPC_MODULE: ipcModule },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Closed before 3pio prints its first line: every write it makes meets a closed pipe (EPIPE).
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const [code] = (await once(child, 'exit')) as [number];
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const summary = read(join(runDirectoryOf(dir), 'test-run.md'));
    expect(summary).toContain('- Status: **FAILED** (exit code 1)');
    expect(read(join(runDirectoryOf(dir), 'reports', 'c.test.js', 'index.md'))).toContain('expected 1 to be 2');
  });

  it.each([
    ['chain', ['--ci'], 'before\n PASS  colourful runner output\nafter\n'],
    ['delegate', ['--ci'], 'before\n PASS  colourful runner output\nafter\n'],
    ['expand', ['--ci', 'a.test.js'], ' PASS  colourful runner output\n'],
    ['expand-nested', ['--ci', 'a.test.js'], ' PASS  colourful runner output\n'],
  ])('runs a script as written, whatever it does around the runner (`npm run %s`)', async (script, argv, output) => {
    const dir = project();
    const result = await runProcess(process.execPath, [cli, 'npm', 'run', script], {
      cwd: dir,
      env: { ...process.env, SCRIPTED_MODE: 'pass', SCRIPTED_IPC_MODULE: ipcModule, EXPANDED_BY_THE_SHELL: 'a.test.js' },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('note');
    expect(JSON.parse(read(join(dir, 'argv.json')))).toEqual(argv);
    const runDir = runDirectoryOf(dir);
    // npm's own lines (`> scripted-runner-project@ chain`) come first.
    expect(read(join(runDir, 'output.log')).endsWith(output)).toBe(true);
    expect(read(join(runDir, 'test-run.md'))).toContain('- Status: **PASSED** (exit code 0)');
  });

  it('reports each test once when the command runs 3pio again (a script that calls `3pio npm test`)', async () => {
    const dir = project();
    const result = await runProcess(process.execPath, [cli, 'npm', 'run', 'nested-3pio'], {
      cwd: dir,
      env: { ...process.env, SCRIPTED_MODE: 'fail', SCRIPTED_IPC_MODULE: ipcModule, THREEPIO_CLI: cli },
    });
    expect(result.code).toBe(1);
    expect(runNames(dir)).toHaveLength(1);
    expect(result.stdout).toMatch(/^FAILED · files: 1 failed, 2 passed \(3\) · tests: 1 failed, 3 passed/m);
    // The inner 3pio only ran the command: its output is the command's, in the outer run's log.
    expect(read(join(runDirectoryOf(dir), 'output.log'))).not.toContain('Summary report');
  });

  it.each([
    ['SIGINT', 130, 'hang'],
    ['SIGTERM', 143, 'hang'],
    ['SIGHUP', 129, 'hang'],
    ['SIGINT', 130, 'stubborn'],
  ] as const)(
    'on %s stops the whole runner tree, writes an INTERRUPTED report and exits %i (%s runner)',
    async (signal, exitCode, mode) => {
      const dir = project();
      const child = spawn(process.execPath, [cli, 'npx', 'jest'], {
        cwd: dir,
        env: { ...process.env, SCRIPTED_MODE: mode, SCRIPTED_IPC_MODULE: ipcModule, THREEPIO_KILL_AFTER_MS: '1000' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        let stdout = '';
        child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
        // The runner is up once the output it sends while it hangs has reached the IPC file.
        const ipc = () => (existsSync(join(runDirectoryOf(dir), 'ipc.jsonl')) ? read(join(runDirectoryOf(dir), 'ipc.jsonl')) : '');
        for (const deadline = Date.now() + 60_000; !ipc().includes('waiting') || !existsSync(join(dir, 'worker.pid'));) {
          if (Date.now() > deadline) throw new Error(`the runner did not start; 3pio printed:\n${stdout}`);
          await new Promise((r) => setTimeout(r, 20));
        }
        const worker = Number(read(join(dir, 'worker.pid')));
        child.kill(signal);
        const [code] = (await once(child, 'exit')) as [number];
        expect(code).toBe(exitCode);
        expect(stdout).toMatch(/^INTERRUPTED · /m);
        expect(stdout).toContain(`did not finish: the run was interrupted (${signal})`);
        expect(read(join(runDirectoryOf(dir), 'test-run.md'))).toContain('- Status: **INTERRUPTED**');
        expect(read(join(runDirectoryOf(dir), 'reports', 'c.test.js', 'index.md'))).toContain('waiting');
        // Killed, not merely signalled: it is gone or a zombie waiting for init to reap it.
        const isGone = () => !existsSync(`/proc/${worker}`) || / Z /.test(read(`/proc/${worker}/stat`).replace(/^\d+ \(.*\)/, ''));
        for (const deadline = Date.now() + 10_000; !isGone() && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 20));
        expect(isGone()).toBe(true);
      } finally {
        // A failed assertion must not leave 3pio or its runner running: kill whatever still runs from this project.
        child.kill('SIGKILL');
        spawnSync('pkill', ['-KILL', '-f', dir]);
      }
    },
  );

  it('stops the command’s whole tree within seconds when 3pio itself is killed with SIGKILL', async () => {
    const dir = project();
    const child = spawn(process.execPath, [cli, 'npx', 'jest'], {
      cwd: dir,
      env: { ...process.env, SCRIPTED_MODE: 'stubborn', SCRIPTED_IPC_MODULE: ipcModule },
      stdio: 'ignore',
    });
    try {
      for (const deadline = Date.now() + 60_000; !existsSync(join(dir, 'worker.pid'));) {
        if (Date.now() > deadline) throw new Error('the runner did not start');
        await new Promise((r) => setTimeout(r, 20));
      }
      const pids = ['runner.pid', 'worker.pid'].map((name) => Number(read(join(dir, name))));
      child.kill('SIGKILL');
      await once(child, 'exit');
      // Gone, or a zombie waiting for init to reap it: nothing that still runs.
      const running = () =>
        pids.filter((pid) => existsSync(`/proc/${pid}`) && !/ Z /.test(read(`/proc/${pid}/stat`).replace(/^\d+ \(.*\)/, '')));
      for (const deadline = Date.now() + 10_000; running().length > 0 && Date.now() < deadline;)
        await new Promise((r) => setTimeout(r, 20));
      expect(running()).toEqual([]);
    } finally {
      child.kill('SIGKILL');
      spawnSync('pkill', ['-KILL', '-f', dir]);
    }
  });

  it('replays a recorded event file into a new run directory', async () => {
    const first = await run3pio(['npx', 'jest'], 'fail');
    const recorded = join(first.runDir, 'ipc.jsonl');
    const { code, stdout, dir } = await run3pio(['replay', recorded], 'pass', first.dir);
    expect(code).toBe(1);
    expect(stdout).toContain(`3pio: replay of ${recorded}`);
    expect(stdout).toContain('FAIL c.test.js (1 failed, 1 passed)');
    const runs = runNames(dir);
    expect(runs).toHaveLength(2);
    const replayed = join(dir, '.3pio', 'runs', runs[1]!);
    expect(read(join(replayed, 'reports', 'c.test.js', 'index.md'))).toBe(read(join(first.runDir, 'reports', 'c.test.js', 'index.md')));
    expect(read(join(replayed, 'ipc.jsonl'))).toBe(read(recorded));
  });

  it('replays what a pipe holds, read to its end, into an owner-only copy', async () => {
    const first = await run3pio(['npx', 'jest'], 'fail');
    const recorded = join(first.runDir, 'ipc.jsonl');
    chmodSync(recorded, 0o644);
    const fromFile = await run3pio(['replay', recorded], 'pass', first.dir);
    const summary = (text: string) =>
      text
        .split('\n')
        .find((line) => line.startsWith('FAILED · '))
        ?.replace(/ · [^·]+$/, '');
    // A shell pipe, and standard input as a socket (what spawn gives a child).
    const shellPiped = spawnSync('sh', ['-c', 'cat "$1" | "$2" "$3" replay /dev/stdin', 'sh', recorded, process.execPath, cli], {
      cwd: first.dir,
      encoding: 'utf8',
    });
    expect(shellPiped.status).toBe(1);
    const piped = spawnSync(process.execPath, [cli, 'replay', '-'], { cwd: first.dir, input: read(recorded), encoding: 'utf8' });
    expect(piped.status).toBe(1);
    expect(summary(shellPiped.stdout)).toBe(summary(fromFile.stdout));
    expect(summary(piped.stdout)).toBe(summary(fromFile.stdout));
    expect(summary(piped.stdout)).toContain('tests: 1 failed, 3 passed');
    const runs = runNames(first.dir);
    for (const run of runs.slice(1)) {
      const copy = join(first.dir, '.3pio', 'runs', run, 'ipc.jsonl');
      expect(read(copy)).toBe(read(recorded));
      expect(statSync(copy).mode & 0o777).toBe(0o600);
    }
  });

  it.each([
    [
      'whose run says it failed',
      (lines: string[]) =>
        lines.map((line) => (line.includes('"runComplete"') ? line.replace('"payload":{', '"payload":{"status":"FAIL",') : line)),
      /^FAILED · /m,
    ],
    [
      'that ends before its runComplete',
      (lines: string[]) => lines.filter((line) => !line.includes('"runComplete"')),
      /^Run 1 \(jest in \.\) did not complete/m,
    ],
    [
      'with no runStart and no runComplete',
      (lines: string[]) => lines.filter((line) => !/"run(Start|Complete)"/.test(line)),
      /did not complete/,
    ],
  ])('replays a recording %s as failed, exit 1', async (_, edit, message) => {
    const first = await run3pio(['npx', 'jest'], 'pass');
    const edited = join(first.dir, 'edited.jsonl');
    writeFileSync(edited, edit(read(join(first.runDir, 'ipc.jsonl')).trimEnd().split('\n')).join('\n') + '\n');
    const { code, stdout } = await run3pio(['replay', edited], 'pass', first.dir);
    expect(code).toBe(1);
    expect(stdout).toMatch(message);
  });

  it.each([
    ['an empty file', '', /^3pio: The event file .*empty\.jsonl is empty: there is nothing to replay\.$/m],
    ['a missing file', undefined, /^3pio: Cannot read the event file .*missing\.jsonl: ENOENT/m],
  ])('refuses to replay %s, exit 2, leaving no run directory', async (_, content, message) => {
    const dir = project();
    const file = join(dir, content === undefined ? 'missing.jsonl' : 'empty.jsonl');
    if (content !== undefined) writeFileSync(file, content);
    const { code, stderr } = await run3pio(['replay', file], 'pass', dir);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(existsSync(join(dir, '.3pio', 'runs')) ? readdirSync(join(dir, '.3pio', 'runs')) : []).toEqual([]);
  });

  it('says when an adapter could not send everything: the summary warns, 3pio.log names the hook and the test', async () => {
    const first = await run3pio(['npx', 'jest'], 'pass');
    const lines = read(join(first.runDir, 'ipc.jsonl')).trimEnd().split('\n');
    const run = (JSON.parse(lines[0]!) as { run: string }).run;
    const failure = {
      eventType: 'adapterError',
      run,
      payload: {
        runner: 'jest',
        hook: 'onTestCaseResult',
        message: 'cannot read properties of undefined',
        stack: 'TypeError: cannot read properties of undefined\n    at map (/adapter.js:1:1)',
        filePath: join(first.dir, 'c.test.js'),
        testName: 'adds',
        ancestorTitles: ['math'],
      },
    };
    const edited = join(first.dir, 'edited.jsonl');
    writeFileSync(
      edited,
      [...lines.slice(0, -1), JSON.stringify(failure), lines.at(-1)!.replace('"payload":{', '"payload":{"lostEvents":2,')].join('\n') +
        '\n',
    );
    const { code, stdout } = await run3pio(['replay', edited], 'pass', first.dir);
    expect(code).toBe(0);
    expect(stdout).toContain(
      "Run 1 (jest in .): 3pio's adapter failed 1 time handling the runner's results and could not write 2 events, so results may be missing from these reports (details in 3pio.log)",
    );
    const runs = readdirSync(join(first.dir, '.3pio', 'runs')).sort();
    const log = read(join(first.dir, '.3pio', 'runs', runs.at(-1)!, '3pio.log'));
    expect(log).toContain(
      "error 3pio's jest adapter failed in onTestCaseResult (handling c.test.js: math › adds); results it was sending are missing: TypeError: cannot read properties of undefined\n      at map",
    );
  });

  it('replays a file of garbage as an ERROR that says nothing could be used, exit 2', async () => {
    const dir = project();
    writeFileSync(join(dir, 'garbage.jsonl'), 'not an event\n{"also":"not"}\n');
    const { code, stdout } = await run3pio(['replay', join(dir, 'garbage.jsonl')], 'pass', dir);
    expect(code).toBe(2);
    expect(stdout).toMatch(/^ERROR · /m);
    expect(stdout).toContain('The event file holds no event 3pio could use');
  });

  it.each([
    [['--bogus', 'npm', 'test'], /^3pio: Unknown option --bogus/],
    [[], /^3pio: No test command given/],
    [['replay', '/no/such/file.jsonl'], /^3pio: Cannot read the event file \/no\/such\/file\.jsonl: ENOENT/],
  ])('refuses %j with a clear message and exit code 2, running nothing', async (args, message) => {
    const { code, stderr, stdout, dir } = await run3pio(args, 'pass');
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stdout).toBe('');
    expect(existsSync(join(dir, 'argv.json'))).toBe(false);
  });

  it.each([
    [
      '.3pio is a link to the project',
      (dir: string) => symlinkSync('.', join(dir, '.3pio')),
      /\.3pio is a symbolic link \(to \.\), and 3pio does not write through links/,
    ],
    [
      '.3pio/runs is a link elsewhere',
      (dir: string) => {
        mkdirSync(join(dir, '.3pio'));
        writeFileSync(join(dir, '.3pio', '.gitignore'), '*\n');
        mkdirSync(join(dir, 'elsewhere'));
        symlinkSync(join(dir, 'elsewhere'), join(dir, '.3pio', 'runs'));
      },
      /\.3pio\/runs is a symbolic link \(to .*elsewhere\)/,
    ],
    ['.3pio is a file', (dir: string) => writeFileSync(join(dir, '.3pio'), 'mine'), /\.3pio is a file, not a directory/],
  ])('refuses to start when %s: one line naming it, exit 125, nothing run or written', async (_, arrange, message) => {
    const dir = project();
    writeFileSync(join(dir, '.gitignore'), 'node_modules\n');
    arrange(dir);
    const before = listTree(dir);
    const { code, stderr, stdout } = await run3pio(['npx', 'jest'], 'pass', dir);
    expect(code).toBe(125);
    expect(stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(message)]);
    expect(stderr).toMatch(/^3pio: /);
    expect(stdout).toBe('');
    expect(listTree(dir)).toEqual(before);
    expect(read(join(dir, '.gitignore'))).toBe('node_modules\n');
  });

  it.runIf(canMountReadOnly())('says a read-only project is read-only (EROFS), in one line, exit 125', async () => {
    const dir = project();
    const readOnly = join(dir, 'ro');
    mkdirSync(readOnly);
    spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro', 'tmpfs', readOnly]);
    try {
      const { code, stderr } = await run3pio(['npx', 'jest'], 'pass', readOnly);
      expect(code).toBe(125);
      expect(stderr).toBe(
        `3pio: cannot create ${join(readOnly, '.3pio')}: the file system is read-only (EROFS). 3pio keeps its runs in .3pio/ of the directory it runs in: run it where it can write.\n`,
      );
    } finally {
      spawnSync('umount', [readOnly]);
    }
  });

  it('prints help and version', async () => {
    const help = await run3pio(['--help'], 'pass');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage:\n  3pio [options] <command…>');
    const version = await run3pio(['--version'], 'pass');
    expect(version.stdout).toBe(`${(JSON.parse(read(join(packageRoot, 'package.json'))) as { version: string }).version}\n`);
  });
});

/** Every path under `dir`, links not followed: what a refused run must leave as it was. */
function listTree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: false }).map(String).sort();
}

/** Root in a machine that lets it mount: the read-only case is made real, not simulated. */
function canMountReadOnly(): boolean {
  const probe = mkdtempSync(join(tmpdir(), '3pio-ro-'));
  try {
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro', 'tmpfs', probe]).status === 0;
    if (mounted) spawnSync('umount', [probe]);
    return mounted;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}
