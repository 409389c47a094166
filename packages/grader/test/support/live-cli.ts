import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../src/bin.ts', import.meta.url));
const TSX = fileURLToPath(import.meta.resolve('tsx'));

/**
 * A long-running CLI (watch mode) driven like a person at a pipe would: type a line,
 * wait until the output shows something. No sleeps: every step waits for the output it
 * needs, from where the last wait stopped.
 */
export class LiveCli {
  private readonly child: ChildProcessWithoutNullStreams;
  private output = '';
  private readFrom = 0;
  private waiters: Array<() => void> = [];
  readonly exited: Promise<number | null>;

  constructor(args: readonly string[], cwd: string) {
    this.child = spawn(process.execPath, ['--import', TSX, BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: 'pipe' });
    const onData = (d: Buffer): void => {
      this.output += d.toString();
      for (const w of this.waiters.splice(0)) w();
    };
    this.child.stdout.on('data', onData);
    this.child.stderr.on('data', onData);
    this.exited = new Promise((resolve) => this.child.on('close', (code) => {
      for (const w of this.waiters.splice(0)) w();
      resolve(code);
    }));
  }

  /** Waits until the output after the last match matches `pattern`; @returns the matched text. */
  async waitFor(pattern: RegExp): Promise<string> {
    for (;;) {
      const rest = this.output.slice(this.readFrom);
      const m = pattern.exec(rest);
      if (m !== null) {
        this.readFrom += m.index + m[0].length;
        return m[0];
      }
      if (this.child.exitCode !== null) throw new Error(`the CLI exited (${this.child.exitCode}) without printing ${pattern}; it printed:\n${this.output}`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  type(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  get text(): string {
    return this.output;
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}
