import { writeSync } from 'node:fs';
import { format } from 'node:util';

/**
 * Writes a line to standard output at once, from any thread. Lines appear in the order
 * the threads executed `print()` (a worker's `console.log` travels through the
 * supervisor's event loop and can arrive later than lines printed after it).
 *
 * @example
 * ```ts
 * print('worker', currentThread().name, 'done');
 * ```
 */
export function print(...values: unknown[]): void {
  writeAll(1, `${format(...values)}\n`);
}

/** Writes all of `text` (or bytes) to a file descriptor at once, waiting out a full non-blocking pipe. */
export function writeAll(fd: number, text: string | Uint8Array): void {
  let bytes = typeof text === 'string' ? Buffer.from(text) : Buffer.from(text.buffer, text.byteOffset, text.byteLength);
  while (bytes.length > 0) {
    try {
      bytes = bytes.subarray(writeSync(fd, bytes));
    } catch (e) {
      // A non-blocking pipe that is full: wait a moment for the reader.
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}
