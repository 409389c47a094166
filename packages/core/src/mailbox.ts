import { deserialize, serialize } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { ThreadingError } from './errors.ts';

/*
 * A worker's synchronous line to the supervisor. The worker posts a request and blocks
 * on its mailbox word; the supervisor, which never blocks, writes the answer into the
 * mailbox and wakes it. Messages to a worker would never arrive while it is blocked,
 * which is why the answer comes back through shared memory.
 *
 * Mailbox words: STATE (EMPTY / FULL), LENGTH (bytes of the answer), then the bytes.
 */
const STATE = 0;
const LENGTH = 1;
const HEADER_BYTES = 8;
const EMPTY = 0;
const FULL = 1;
export const MAILBOX_BYTES = 1 << 20;

export interface RpcRequest {
  readonly type: 'rpc';
  readonly method: string;
  readonly args: unknown;
}

let mailbox: SharedArrayBuffer | undefined;

export function createMailbox(): SharedArrayBuffer {
  return new SharedArrayBuffer(MAILBOX_BYTES);
}

export function setMailbox(sab: SharedArrayBuffer): void {
  mailbox = sab;
}

/** Calls `method` on the supervisor and waits for its answer. Worker threads only. */
export function callSupervisor(method: string, args: unknown): unknown {
  if (mailbox === undefined || parentPort === null) throw new Error(`callSupervisor(${method}) outside a thread`);
  const words = new Int32Array(mailbox, 0, 2);
  Atomics.store(words, STATE, EMPTY);
  parentPort.postMessage({ type: 'rpc', method, args } satisfies RpcRequest);
  while (Atomics.load(words, STATE) === EMPTY) Atomics.wait(words, STATE, EMPTY);
  const length = Atomics.load(words, LENGTH);
  const answer = deserialize(new Uint8Array(mailbox, HEADER_BYTES, length).slice()) as { ok: boolean; value: unknown; message?: string };
  if (!answer.ok) throw new ThreadingError('RPC_FAILED', answer.message ?? `${method} failed`);
  return answer.value;
}

/** Supervisor side: writes the answer into a worker's mailbox and wakes it. */
export function answer(box: SharedArrayBuffer, value: unknown): void {
  let bytes: Uint8Array;
  try {
    bytes = serialize({ ok: true, value });
  } catch (e) {
    bytes = serialize({ ok: false, message: `the answer cannot be sent to a thread: ${(e as Error).message}` });
  }
  if (bytes.length > MAILBOX_BYTES - HEADER_BYTES) {
    bytes = serialize({
      ok: false,
      message: `the answer is ${bytes.length} bytes, over the ${MAILBOX_BYTES - HEADER_BYTES} a thread can receive; share large data through a SharedInt32Array`,
    });
  }
  deliver(box, bytes);
}

/** Supervisor side: answers with an error that the caller throws. */
export function answerError(box: SharedArrayBuffer, message: string): void {
  deliver(box, serialize({ ok: false, message }));
}

function deliver(box: SharedArrayBuffer, bytes: Uint8Array): void {
  new Uint8Array(box, HEADER_BYTES, bytes.length).set(bytes);
  const words = new Int32Array(box, 0, 2);
  Atomics.store(words, LENGTH, bytes.length);
  // FULL is stored last: the worker that sees it sees the bytes and the length.
  Atomics.store(words, STATE, FULL);
  Atomics.notify(words, STATE);
}
