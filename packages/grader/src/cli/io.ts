/** Where a command writes, and whether colour and live progress suit it. */
export interface Output {
  write(text: string): void;
  readonly color: boolean;
  readonly isTTY: boolean;
}

/** The streams and settings a command runs with; tests pass their own. */
export interface Io {
  readonly stdout: Output;
  readonly stderr: Output;
  readonly stdin: NodeJS.ReadStream;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

/** Colour when writing to a terminal, unless NO_COLOR is set (non-empty); FORCE_COLOR forces it. */
export function wantsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0') return true;
  return stream.isTTY === true;
}

function output(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): Output {
  return { write: (text) => void stream.write(text), color: wantsColor(stream, env), isTTY: stream.isTTY === true };
}

export function processIo(): Io {
  // A reader that stops early (`| head`) is not an error: stop writing, and stop.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      process.exit(process.exitCode ?? 0);
    });
  }
  return { stdout: output(process.stdout, process.env), stderr: output(process.stderr, process.env), stdin: process.stdin, cwd: process.cwd(), env: process.env };
}
