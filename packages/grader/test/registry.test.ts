import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Results } from '../src/results.ts';
import { runCli } from './support/cli.ts';

/*
 * An exercise pack end to end, through a real npm registry on loopback: a pack is published
 * to a local verdaccio (no uplinks: nothing leaves the machine), installed with npm into a
 * fresh course repository, and graded there by the CLI. The starter fails one of its two
 * checks, so a pass of the first and a failure of the second prove the pack's checks ran.
 */

const GRADER = fileURLToPath(new URL('../', import.meta.url));
const VERDACCIO = join(GRADER, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
const PACK = 'threadlings-pack-e2e';
const TIMEOUT_MS = 120_000;
const run = promisify(execFile);

let temp: string;
let registry: string;
let verdaccio: ChildProcess | undefined;
let verdaccioOutput = '';

/** A port on 127.0.0.1 that nothing listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port was assigned');
  return address.port;
}

/** Polls `url` until it answers 200, at most `deadlineMs`; fails early if verdaccio exits. */
async function waitForHttp(url: string, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (let attempt = 0; Date.now() < until; attempt++) {
    if (verdaccio?.exitCode !== null) throw new Error(`verdaccio exited (${verdaccio?.exitCode}) before it answered:\n${verdaccioOutput}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** attempt, 500)));
  }
  throw new Error(`verdaccio did not answer ${url} within ${deadlineMs} ms:\n${verdaccioOutput}`);
}

/** Writes `files` (path relative to `root` → text) under `root`. */
function writeTree(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

/** Runs npm in `cwd` against the local registry only, with its own config and cache; its output on failure. */
async function npm(args: readonly string[], cwd: string): Promise<void> {
  // No npm settings of the process that runs the tests (pnpm sets some) reach this npm.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_/i.test(k)));
  const flags = ['--registry', registry, '--userconfig', join(cwd, '.npmrc'), '--cache', join(temp, 'npm-cache'), '--no-audit', '--no-fund', '--no-update-notifier'];
  try {
    await run('npm', [...args, ...flags], { cwd, env, timeout: 60_000 });
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}${stderr ?? ''}\nverdaccio said:\n${verdaccioOutput}`);
  }
}

/** The pack: one exercise whose checks read the student's file; the starter greets with "hi", not "hello". */
function packFiles(): Record<string, string> {
  const manifest = {
    id: '01',
    order: 1,
    slug: 'greet',
    title: 'Greet',
    objective: 'An exercise that comes from a registry',
    files: ['src/greeting.ts'],
    hints: ['Say hello.'],
  };
  const pkg = {
    name: PACK,
    version: '1.0.0',
    type: 'module',
    files: ['exercises'],
    // The course repository brings the grader: nothing else is fetched with the pack.
    peerDependencies: { '@threadlings/grader': '*' },
    peerDependenciesMeta: { '@threadlings/grader': { optional: true } },
    threadlings: { pack: { format: 1, course: 'Registry test', exercises: 'exercises' } },
  };
  return {
    'package.json': `${JSON.stringify(pkg, null, 2)}\n`,
    'exercises/01-greet/threadlings.json': `${JSON.stringify(manifest, null, 2)}\n`,
    'exercises/01-greet/src/greeting.ts': "export const greeting: string = 'hi';\n",
    'exercises/01-greet/checks.ts': [
      "import { readFileSync } from 'node:fs';",
      "import { defineChecks } from '@threadlings/grader';",
      '',
      'export default defineChecks((t) => {',
      "  const file = t.source('src/greeting.ts');",
      "  t.check('the greeting is there', (ctx) => {",
      "    if (!readFileSync(file, 'utf8').includes('greeting')) ctx.fail('src/greeting.ts exports no greeting', 'src/greeting.ts');",
      '  });',
      "  t.check('the greeting says hello', (ctx) => {",
      "    if (!readFileSync(file, 'utf8').includes('hello')) ctx.fail('the greeting does not say hello', 'src/greeting.ts');",
      '  });',
      '});',
      '',
    ].join('\n'),
  };
}

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'threadlings-registry-'));
  const port = await freePort();
  registry = `http://127.0.0.1:${port}/`;
  const config = join(temp, 'verdaccio', 'config.yaml');
  writeTree(temp, {
    'verdaccio/config.yaml': [
      `storage: ${JSON.stringify(join(temp, 'verdaccio', 'storage'))}`,
      'auth:',
      '  htpasswd:',
      `    file: ${JSON.stringify(join(temp, 'verdaccio', 'htpasswd'))}`,
      '    max_users: -1',
      '# No uplinks: the registry serves only what is published to it.',
      'uplinks: {}',
      'packages:',
      "  '**':",
      '    access: $all',
      '    publish: $anonymous',
      `listen: 127.0.0.1:${port}`,
      'web:',
      '  enable: false',
      'log: { type: stdout, format: pretty, level: warn }',
      '',
    ].join('\n'),
  });
  verdaccio = spawn(process.execPath, [VERDACCIO, '--config', config, '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [verdaccio.stdout, verdaccio.stderr]) stream?.on('data', (d: Buffer) => (verdaccioOutput += d.toString()));
  await waitForHttp(`${registry}-/ping`, 60_000);
}, TIMEOUT_MS);

afterAll(async () => {
  const child = verdaccio;
  if (child !== undefined && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  }
  if (temp !== undefined) rmSync(temp, { recursive: true, force: true });
}, TIMEOUT_MS);

describe('an exercise pack from a registry', () => {
  it(
    'is published, installed with npm into a course repository, and graded there',
    async () => {
      const token = `//127.0.0.1:${new URL(registry).port}/:_authToken=x\n`;
      const pack = join(temp, 'pack');
      writeTree(pack, { ...packFiles(), '.npmrc': token });
      await npm(['publish'], pack);

      const course = join(temp, 'course');
      writeTree(course, {
        'package.json': `${JSON.stringify({ name: 'course', private: true, type: 'module', dependencies: { [PACK]: '1.0.0' } }, null, 2)}\n`,
        '.npmrc': token,
      });
      mkdirSync(join(course, '.git')); // the course root, as findRoot finds it
      await npm(['install'], course);
      // It came from the local registry, and nothing else was installed with it.
      const lock = JSON.parse(readFileSync(join(course, 'package-lock.json'), 'utf8')) as { packages: Record<string, { resolved?: string }> };
      expect(Object.keys(lock.packages)).toEqual(['', `node_modules/${PACK}`]);
      expect(lock.packages[`node_modules/${PACK}`]!.resolved).toBe(`${registry}${PACK}/-/${PACK}-1.0.0.tgz`);
      // The grader, as a course repository that installed it has it.
      mkdirSync(join(course, 'node_modules', '@threadlings'));
      symlinkSync(GRADER, join(course, 'node_modules', '@threadlings', 'grader'), 'dir');

      const graded = await runCli(['grade', '--ci', '--json', 'out.json'], { cwd: course });
      expect(graded.stdout).not.toContain('warning:');
      const results = Results.parse(JSON.parse(readFileSync(join(course, 'out.json'), 'utf8')));
      expect(results.exercises).toHaveLength(1);
      const [exercise] = results.exercises;
      expect(exercise).toMatchObject({ id: '01', slug: 'greet', status: 'fail', files: [`node_modules/${PACK}/exercises/01-greet/src/greeting.ts`] });
      expect(exercise!.checks.map((c) => [c.name, c.status])).toEqual([
        ['the greeting is there', 'pass'],
        ['the greeting says hello', 'fail'],
      ]);
      expect(exercise!.checks[1]!.message).toContain('the greeting does not say hello');
      expect(graded.code).toBe(1);
    },
    TIMEOUT_MS,
  );
});
