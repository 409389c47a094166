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
 *
 * A name that is not a plain word (`A→B`, `my thread`, or `rx2`, which would read as r×2)
 * is written in double quotes, with JSON's escapes: `"A→B"×2 "my thread"`. The grader
 * quotes every name that needs it, so whatever it prints reads back the same.
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

/** A name that reads back as itself without quotes: a plain word that does not end like a repeat count. */
const PLAIN = /^[A-Za-z_][\w.-]*$/;
const LOOKS_REPEATED = /[x*×]\d+$/;

/** A thread name as a schedule writes it: bare when it can be, else quoted. */
export function nameToken(name: string): string {
  return PLAIN.test(name) && !LOOKS_REPEATED.test(name) ? name : JSON.stringify(name);
}

export function compressSteps(steps: readonly string[]): string {
  const out: string[] = [];
  for (let i = 0; i < steps.length; ) {
    let j = i;
    while (j < steps.length && steps[j] === steps[i]) j++;
    const token = nameToken(steps[i]!);
    out.push(j - i > 1 ? `${token}×${j - i}` : token);
    i = j;
  }
  return out.join(' ');
}

export function formatSchedule(s: Schedule): string {
  return `${MAGIC} v${s.version} ${s.exercise} ${checkSlug(s.check)}: ${compressSteps(s.steps)}`;
}

/** Splits steps text into tokens: runs of non-space, where a quoted name may hold spaces and commas. */
function tokens(text: string): string[] {
  const out: string[] = [];
  const re = /[\s,]*("(?:[^"\\]|\\.)*"(?:[×x*]\d+)?|"[^]*$|[^\s,]+)/gy;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push(m[1]!);
  return out;
}

function parseSteps(text: string): string[] {
  const steps: string[] = [];
  for (const token of tokens(text)) {
    let name: string;
    let times: string | undefined;
    if (token.startsWith('"')) {
      const m = /^("(?:[^"\\]|\\.)*")(?:[×x*](\d+))?$/.exec(token);
      if (m === null) throw new ScheduleError(`${token.slice(0, 40)}: a quoted name must end with a closing " (and may be followed by ×N)`);
      try {
        name = JSON.parse(m[1]!) as string;
      } catch {
        throw new ScheduleError(`${m[1]!.slice(0, 40)} is not a quoted name: inside the quotes, write \\" for a quote and \\\\ for a backslash`);
      }
      if (name === '') throw new ScheduleError('"" is not a step: a thread name cannot be empty');
      times = m[2];
    } else {
      const m = /^([A-Za-z_][\w.-]*?)(?:[×x*](\d+))?$/.exec(token);
      if (m === null) {
        throw new ScheduleError(`"${token}" is not a step: write a thread name, optionally with ×N (e.g. T1×3); put a name that is not a plain word in double quotes ("A→B")`);
      }
      name = m[1]!;
      times = m[2];
    }
    const count = times === undefined ? 1 : Number(times);
    if (count < 1 || count > 100_000) throw new ScheduleError(`"${token}": a repeat count must be between 1 and 100000`);
    for (let i = 0; i < count; i++) steps.push(name);
  }
  if (steps.length === 0) throw new ScheduleError('the schedule has no steps');
  return steps;
}

/** A line without its comment: from a `#` that is not inside a quoted name. */
function stripComment(line: string): string {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (c === '#' && !quoted) return line.slice(0, i);
  }
  return line;
}

/** Parses either form. @throws ScheduleError naming what is wrong. */
export function parseSchedule(text: string): Schedule {
  const lines = text
    .split('\n')
    .map((l) => stripComment(l).trim())
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
