import { serialize, deserialize } from 'node:v8';

/*
 * The grading channel's framing: one message per line, each the base64 of its structured
 * clone (v8.serialize, so results keep what JSON would lose). Lines are read by the CLI with
 * its own parser: bytes that are not a message are reported as what they are (tampering),
 * where Node's own IPC channel would throw them at the CLI as an uncaught exception.
 */

/** A message as one line of the channel. */
export function encodeLine(message: unknown): string {
  return `${serialize(message).toString('base64')}\n`;
}

/** A line back into its message. @throws when the line is not one. */
export function decodeLine(line: string): unknown {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(line)) throw new Error('a line that is not a message');
  return deserialize(Buffer.from(line, 'base64'));
}

/**
 * Splits a byte stream into lines, calling `onLine` for each complete one.
 * @example `stream.on('data', lines((l) => handle(l)))`
 */
export function lines(onLine: (line: string) => void): (chunk: Buffer) => void {
  let pending = '';
  return (chunk) => {
    pending += chunk.toString('latin1');
    for (let at = pending.indexOf('\n'); at >= 0; at = pending.indexOf('\n')) {
      const line = pending.slice(0, at);
      pending = pending.slice(at + 1);
      onLine(line);
    }
  };
}
