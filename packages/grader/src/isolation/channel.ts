import { StringDecoder } from 'node:string_decoder';
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
  // UTF-8 (the job holds the student's schedule, of any characters), a character split across chunks kept whole.
  const decoder = new StringDecoder('utf8');
  let pending = '';
  return (chunk) => {
    pending += decoder.write(chunk);
    for (let at = pending.indexOf('\n'); at >= 0; at = pending.indexOf('\n')) {
      const line = pending.slice(0, at);
      pending = pending.slice(at + 1);
      onLine(line);
    }
  };
}
