import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../src/bin.ts', import.meta.url));
const TSX = fileURLToPath(import.meta.resolve('tsx'));

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real `threadlings` CLI in its own process, as `pnpm -s grade ...` would, without a terminal. */
export function runCli(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string }): Promise<CliRun> {
  // No colour, and no FORCE_COLOR beside NO_COLOR: from Node 22 each process warns of the pair on stderr.
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', GITHUB_STEP_SUMMARY: '' };
  delete env['FORCE_COLOR'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, BIN, ...args], {
      cwd: options.cwd,
      env: { ...env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
