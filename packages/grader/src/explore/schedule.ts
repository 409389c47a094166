/**
 * The schedule format: text a student can read and write. Two forms, one meaning:
 *
 *   threadlings-schedule v1 06 lost-update: T1 T2 T1×2 T2
 *
 * and, in a file,
 *
 *   threadlings-schedule v1
 *   exercise: 06
 *   check: lost-update
 *   steps: T1 T2 T1×2 T2
 *
 * Each step names the thread that performs the next operation (a read, a write, an
 * acquire, ...); `T1×2` (or `T1x2`, `T1*2`) is two steps of T1 in a row. After the last
 * step, the thread that ran last goes on while it can. `#` starts a comment.
 */
export const SCHEDULE_VERSION = 1;
const MAGIC = 'threadlings-schedule';

export interface Schedule {
  readonly version: number;
  readonly exercise: string;
  readonly check: string;
  readonly steps: readonly string[];
}

export class ScheduleError extends Error {
  readonly code = 'BAD_SCHEDULE';
}

/** A check's name as it appears in a schedule: lower-case words joined by hyphens. */
export function checkSlug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

export function compressSteps(steps: readonly string[]): string {
  const out: string[] = [];
  for (let i = 0; i < steps.length; ) {
    let j = i;
    while (j < steps.length && steps[j] === steps[i]) j++;
    out.push(j - i > 1 ? `${steps[i]}×${j - i}` : steps[i]!);
    i = j;
  }
  return out.join(' ');
}

export function formatSchedule(s: Schedule): string {
  return `${MAGIC} v${s.version} ${s.exercise} ${checkSlug(s.check)}: ${compressSteps(s.steps)}`;
}

function parseSteps(text: string): string[] {
  const steps: string[] = [];
  for (const token of text.split(/[\s,]+/).filter((t) => t !== '')) {
    const m = /^([A-Za-z_][\w.-]*?)(?:[×x*](\d+))?$/.exec(token);
    if (m === null) throw new ScheduleError(`"${token}" is not a step: write a thread name, optionally with ×N (e.g. T1×3)`);
    const count = m[2] === undefined ? 1 : Number(m[2]);
    if (count < 1 || count > 100_000) throw new ScheduleError(`"${token}": a repeat count must be between 1 and 100000`);
    for (let i = 0; i < count; i++) steps.push(m[1]!);
  }
  if (steps.length === 0) throw new ScheduleError('the schedule has no steps');
  return steps;
}

/** Parses either form. @throws ScheduleError naming what is wrong. */
export function parseSchedule(text: string): Schedule {
  const lines = text
    .split('\n')
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter((l) => l !== '');
  const first = lines[0] ?? '';
  const head = /^threadlings-schedule\s+v(\d+)(?:\s+(\S+)\s+([^:]+):(.*))?$/.exec(first);
  if (head === null) {
    throw new ScheduleError(`a schedule starts with "${MAGIC} v${SCHEDULE_VERSION}", got "${first.slice(0, 60)}"`);
  }
  const version = Number(head[1]);
  if (version !== SCHEDULE_VERSION) throw new ScheduleError(`schedule format v${version} is not known; this grader reads v${SCHEDULE_VERSION}`);
  if (head[2] !== undefined) {
    return { version, exercise: head[2], check: head[3]!.trim(), steps: parseSteps(head[4]!) };
  }
  const fields = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const m = /^(\w+)\s*:\s*(.*)$/.exec(line);
    if (m === null) throw new ScheduleError(`"${line}" is not a "key: value" line (keys: exercise, check, steps)`);
    const key = m[1]!.toLowerCase();
    fields.set(key, key === 'steps' ? `${fields.get('steps') ?? ''} ${m[2]}` : m[2]!);
  }
  for (const key of ['exercise', 'check', 'steps']) {
    if (!fields.has(key)) throw new ScheduleError(`the schedule has no "${key}:" line`);
  }
  return { version, exercise: fields.get('exercise')!, check: fields.get('check')!, steps: parseSteps(fields.get('steps')!) };
}
