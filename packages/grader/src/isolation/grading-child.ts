import { SANDBOX_CWD, SANDBOX_ENV, sandboxFlags } from './sandbox.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { CheckResult } from '../results.ts';
import { decodeLine, lines } from './channel.ts';
import { residentMb, POLL_MS } from './memory.ts';
import { OutputCap } from './output-cap.ts';
import type { ChildMessage, GradingJob, Progress, SentError } from './protocol.ts';
import { killGroup, track, untrack } from './reaper.ts';

/** The limits the CLI enforces on a grading child (the manifest's `limits`). */
export interface ChildLimits {
  readonly timeMs: number;
  readonly memoryMb: number;
}

/** Output kept for the report; the rest is counted. */
export const OUTPUT_KEEP_BYTES = 8 * 1024;
/** Output beyond this stops the grading: a print in an endless loop. */
export const OUTPUT_LIMIT_BYTES = 16 * 1024 * 1024;

/** How a grading child ended. */
export type ChildEnd =
  | { readonly kind: 'finished'; readonly checks: CheckResult[] }
  /** runChecks threw: the checks could not run. */
  | { readonly kind: 'threw'; readonly error: SentError }
  | { readonly kind: 'memory'; readonly usedMb: number; readonly limitMb: number }
  | { readonly kind: 'time'; readonly limitMs: number }
  | { readonly kind: 'output'; readonly limitBytes: number }
  /** Something other than the grader wrote to the grading channel (a forged report): what it wrote, described. */
  | { readonly kind: 'tampered'; readonly what: string }
  /** The process ended before it reported: process.exit(), abort(), a signal. `booted` is false when it never got as far as loading the grader. */
  | { readonly kind: 'died'; readonly code: number | null; readonly signal: NodeJS.Signals | null; readonly booted: boolean };

export interface ChildReport {
  readonly end: ChildEnd;
  /** What the process printed (stdout and stderr interleaved), capped. */
  readonly output: string;
  readonly outputBytes: number;
  /** The last progress the checks reported: which check was running. */
  readonly progress: Progress | undefined;
  /** Highest resident memory seen, in MB, rounded up: a peak over the limit never reads as the limit. */
  readonly peakMb: number;
}

const CHILD_ENTRY = fileURLToPath(new URL('./child.ts', import.meta.url));
const TSX_LOADER = fileURLToPath(import.meta.resolve('tsx'));

/*
 * One grading child, from fork to verdict. States: booting → ready (the grader is loaded,
 * no student code yet) → running (job sent: limits enforced) → ended. The first of these
 * ends it: results or failure reported, memory over the limit, time over the limit,
 * output over the limit, or the process gone. Whatever ends it, the whole process group
 * is killed, so threads and any process the submission started go with it.
 */
export class GradingChild {
  private readonly child: ChildProcess;
  private readonly output = new OutputCap(OUTPUT_KEEP_BYTES);
  private booted = false;
  private progress: Progress | undefined;
  private peakMb = 0;
  private end: ChildEnd | undefined;
  private endWaiters: Array<() => void> = [];
  private exited = false;
  private readonly closed: Promise<void>;
  private timers: NodeJS.Timeout[] = [];
  /** Resolves when the child has loaded the grader (or died trying). */
  readonly ready: Promise<void>;
  onProgress: ((p: Progress) => void) | undefined;
  /** The secret the child signs its messages with (protocol.ts). */
  private readonly token = randomBytes(24).toString('hex');

  private constructor(entry: string, readable: readonly string[] | undefined) {
    const sandbox = readable === undefined ? [] : sandboxFlags(readable);
    this.child = spawn(process.execPath, [...sandbox, '--import', TSX_LOADER, entry], {
      // stdin: the hello and the job; fd 3: the child's messages (channel.ts).
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
      // Its own process group, so that killing the group kills everything it started.
      detached: true,
      env: { ...childEnv(process.env), ...(readable === undefined ? {} : SANDBOX_ENV) },
      ...(readable === undefined ? {} : { cwd: SANDBOX_CWD }),
    });
    track(this.child);
    let markReady: () => void = () => {};
    this.ready = new Promise((resolve) => (markReady = resolve));
    for (const stream of [this.child.stdout, this.child.stderr]) {
      stream?.on('data', (chunk: Buffer) => {
        this.output.add(chunk);
        if (this.output.total > OUTPUT_LIMIT_BYTES) this.finish({ kind: 'output', limitBytes: OUTPUT_LIMIT_BYTES });
      });
    }
    this.child.stdin?.on('error', () => undefined);
    this.child.stdin?.write(`${JSON.stringify({ type: 'hello', token: this.token })}\n`);
    const channel = this.child.stdio[3] as NodeJS.ReadableStream | null;
    channel?.on('error', () => undefined);
    channel?.on(
      'data',
      lines((line) => {
        let raw: unknown;
        try {
          raw = decodeLine(line);
        } catch {
          // Bytes that are not a message were written to the channel by something else.
          this.finish({ kind: 'tampered', what: 'bytes that are not a message of the grader' });
          return;
        }
        this.onMessage(raw);
      }),
    );
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      markReady();
      this.finish({ kind: 'died', code, signal, booted: this.booted });
      // Anything it started in its group goes with it, and with them the last holders of its pipes.
      killGroup(this.child);
      untrack(this.child);
    });
    this.markReady = markReady;
    // 'close' comes after 'exit' once stdout and stderr are drained: all its output is in.
    this.closed = new Promise((resolve) => this.child.on('close', () => resolve()));
  }

  private markReady: () => void = () => {};

  private onMessage(raw: unknown): void {
    const m = raw as ChildMessage;
    if (typeof m !== 'object' || m === null || m.token !== this.token) {
      this.finish({ kind: 'tampered', what: describeForged(raw) });
      return;
    }
    switch (m.type) {
      case 'ready':
        this.booted = true;
        this.markReady();
        return;
      case 'progress':
        this.progress = { check: m.check, done: m.done, total: m.total };
        this.onProgress?.(this.progress);
        return;
      case 'results': {
        // Results that do not fit the schema are a bug of the checks runner, reported as such.
        const parsed = CheckResult.array().safeParse(m.checks);
        this.finish(
          parsed.success
            ? { kind: 'finished', checks: parsed.data }
            : { kind: 'threw', error: { name: 'InvalidResults', message: `the checks returned results that do not fit the schema: ${parsed.error.message}`, stack: '' } },
        );
        return;
      }
      case 'failed':
        this.finish({ kind: 'threw', error: m.error });
        return;
      default:
        this.finish({ kind: 'tampered', what: describeForged(raw) });
    }
  }

  /**
   * Forks a child and starts loading the grader in it. `entry` is the child's module:
   * the real one (child.ts) unless a test supplies its own. `readable`: run it sandboxed
   * (sandbox.ts), able to read only those paths and to write nothing.
   */
  static start(entry: string = CHILD_ENTRY, readable?: readonly string[]): GradingChild {
    return new GradingChild(entry, readable);
  }

  /**
   * Sends the job and supervises the child until it ends.
   * @returns how it ended, with its output and the memory it used.
   */
  async run(job: GradingJob, limits: ChildLimits): Promise<ChildReport> {
    await this.ready;
    if (this.end === undefined) {
      this.child.stdin?.write(`${JSON.stringify({ type: 'job', job })}\n`);
      this.timers.push(setTimeout(() => this.finish({ kind: 'time', limitMs: limits.timeMs }), limits.timeMs));
      const poll = setInterval(() => {
        void residentMb(this.child.pid ?? 0).then((mb) => {
          if (mb === undefined) return;
          this.peakMb = Math.max(this.peakMb, mb);
          if (mb > limits.memoryMb) this.finish({ kind: 'memory', usedMb: Math.ceil(mb), limitMb: limits.memoryMb });
        });
      }, POLL_MS);
      this.timers.push(poll);
    }
    await new Promise<void>((resolve) => (this.end === undefined ? this.endWaiters.push(resolve) : resolve()));
    // Its output may still be in the pipes: wait for them to close (the kill hastens it).
    await this.closed;
    return { end: this.end!, output: this.output.text(), outputBytes: this.output.total, progress: this.progress, peakMb: Math.ceil(this.peakMb) };
  }

  /** Tells a child whose job awaits the typecheck (GradingJob.awaitTyped) that the submission compiles. */
  typesChecked(): void {
    if (this.end === undefined) this.child.stdin?.write(`${JSON.stringify({ type: 'typed' })}\n`);
  }

  /** Stops a child that will not be used (or is no longer wanted). */
  dispose(): void {
    if (!this.exited) killGroup(this.child);
  }

  /** The first ending wins; everything after it is ignored. A finished child may still be exiting: it gets a moment, then is killed. */
  private finish(end: ChildEnd): void {
    if (this.end !== undefined) return;
    this.end = end;
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    if (end.kind === 'finished' || end.kind === 'threw') {
      // The child exits by itself once it has reported; a thread that will not stop gets 2 s.
      const grace = setTimeout(() => killGroup(this.child), 2000);
      grace.unref();
    } else if (!this.exited) {
      killGroup(this.child);
    }
    const waiters = this.endWaiters;
    this.endWaiters = [];
    for (const w of waiters) w();
  }
}

/** A forged message, described for the report (its type, if it claims one). */
function describeForged(raw: unknown): string {
  const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
  return typeof type === 'string' ? `a message claiming to be "${type.slice(0, 40)}", without the grader's secret` : 'a message without the grader\'s secret';
}

/** Variables a grading child keeps: what Node, tsx and a terminal need. Tokens, CI variables and secrets stay behind. */
const KEPT = new Set(['PATH', 'HOME', 'USER', 'LOGNAME', 'TMPDIR', 'TMP', 'TEMP', 'LANG', 'LANGUAGE', 'LC_ALL', 'LC_CTYPE', 'LC_MESSAGES', 'TZ', 'TERM', 'NO_COLOR', 'FORCE_COLOR']);
const KEPT_PREFIXES = ['THREADLINGS_', 'TSX_'];

/**
 * The environment of a grading child: the parent's, scrubbed. Student code runs in it, so
 * nothing there may be worth stealing (GITHUB_TOKEN, cloud keys) or usable to reach out of
 * the grading (GITHUB_OUTPUT, GITHUB_ENV, GITHUB_PATH, GITHUB_STEP_SUMMARY).
 * @example `spawn(node, args, { env: childEnv(process.env) })`
 */
export function childEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && (KEPT.has(key) || KEPT_PREFIXES.some((p) => key.startsWith(p)))) out[key] = value;
  }
  return out;
}
