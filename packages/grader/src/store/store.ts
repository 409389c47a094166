import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ExerciseResult, ExerciseStatus } from '../results.ts';

/*
 * The store: one git-ignored folder, `.threadlings/` at the project root, holding
 * `state.json` with each exercise's last verdict, how many hints were shown, and the pass
 * cache (the last passing result and the fingerprint of what it graded). Writes go to a
 * temporary file that is then renamed over the old one, so a crash never leaves half a
 * file. A file that does not parse is kept aside as `state.json.bad`, never overwritten.
 */

const STATE_VERSION = 1;

const ExerciseState = z.object({
  /** The last verdict of the student's files (grading with --solutions does not touch it). */
  status: ExerciseStatus.optional(),
  gradedAt: z.string().optional(),
  hintsShown: z.number().int().nonnegative().optional(),
  /** Which hints were shown (1-based), in the order they were: hints tied to a failing check come out of turn. */
  hintsSeen: z.array(z.number().int().positive()).optional(),
  /** The check that failed in the last grading of the student's files, if one did. */
  failedCheck: z.string().optional(),
});

const CacheEntry = z.object({ fingerprint: z.string(), result: ExerciseResult });

const State = z.object({
  version: z.literal(STATE_VERSION),
  /** Keyed by exercise folder (`07-locks`). */
  exercises: z.record(z.string(), ExerciseState),
  /** Keyed by `student:07-locks` or `solutions:07-locks`. */
  passCache: z.record(z.string(), CacheEntry),
});
type State = z.infer<typeof State>;

export type CacheMode = 'student' | 'solutions';

export class Store {
  private state: State;
  private readonly file: string;
  /** Set when the file on disk could not be read and was kept aside. */
  readonly warning: string | undefined;

  constructor(readonly dir: string) {
    this.file = join(dir, 'state.json');
    const loaded = this.load();
    this.state = loaded.state;
    this.warning = loaded.warning;
  }

  private load(): { state: State; warning?: string } {
    const empty: State = { version: STATE_VERSION, exercises: {}, passCache: {} };
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return { state: empty };
    }
    try {
      return { state: State.parse(JSON.parse(text)) };
    } catch {
      mkdirSync(this.dir, { recursive: true });
      renameSync(this.file, `${this.file}.bad`);
      return { state: empty, warning: `${this.file} could not be read; it was kept as state.json.bad and progress starts afresh` };
    }
  }

  private save(): void {
    mkdirSync(this.dir, { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(this.state, null, 2)}\n`);
    renameSync(tmp, this.file);
  }

  /** The last verdict of each exercise's student files, by folder. */
  status(folder: string): ExerciseStatus | undefined {
    return this.state.exercises[folder]?.status;
  }

  /** Forgets an exercise's verdict and cached pass (after a reset); the hints shown are kept. */
  forget(folder: string): void {
    const { hintsShown, hintsSeen } = this.state.exercises[folder] ?? {};
    this.state.exercises[folder] = { ...(hintsShown === undefined ? {} : { hintsShown }), ...(hintsSeen === undefined ? {} : { hintsSeen }) };
    delete this.state.passCache[`student:${folder}`];
    this.save();
  }

  hintsShown(folder: string): number {
    return this.state.exercises[folder]?.hintsShown ?? 0;
  }

  recordHintsShown(folder: string, count: number): void {
    this.state.exercises[folder] = { ...this.state.exercises[folder], hintsShown: count };
    this.save();
  }

  /** The hints shown so far (1-based), in the order they were shown. */
  hintsSeen(folder: string): number[] {
    const state = this.state.exercises[folder];
    return state?.hintsSeen ?? Array.from({ length: state?.hintsShown ?? 0 }, (_, i) => i + 1);
  }

  recordHintsSeen(folder: string, seen: readonly number[]): void {
    this.state.exercises[folder] = { ...this.state.exercises[folder], hintsSeen: [...seen], hintsShown: seen.length };
    this.save();
  }

  /** The check that failed when the student's files were last graded. */
  failedCheck(folder: string): string | undefined {
    return this.state.exercises[folder]?.failedCheck;
  }

  /** The cached passing result, if what it graded has the same fingerprint now. */
  cachedPass(mode: CacheMode, folder: string, fingerprint: string): ExerciseResult | undefined {
    const entry = this.state.passCache[`${mode}:${folder}`];
    return entry?.fingerprint === fingerprint ? entry.result : undefined;
  }

  /** Remembers a pass; any other verdict forgets the cached one. */
  recordVerdict(mode: CacheMode, folder: string, fingerprint: string, result: ExerciseResult): void {
    const key = `${mode}:${folder}`;
    if (result.status === 'pass') this.state.passCache[key] = { fingerprint, result };
    else delete this.state.passCache[key];
    if (mode === 'student') {
      const { failedCheck: _previous, ...rest } = this.state.exercises[folder] ?? {};
      const failed = result.checks.find((c) => c.status === 'fail' || c.status === 'error')?.name;
      this.state.exercises[folder] = { ...rest, status: result.status, gradedAt: new Date().toISOString(), ...(failed === undefined ? {} : { failedCheck: failed }) };
    }
    this.save();
  }
}
