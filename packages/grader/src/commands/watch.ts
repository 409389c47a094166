import { statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { watch as chokidarWatch, type FSWatcher } from 'chokidar';
import pc from 'picocolors';
import { EXIT, type ExitCode } from '../cli/errors.ts';
import type { Io } from '../cli/io.ts';
import { resolveWorkspace } from '../cli/workspace.ts';
import { discoverCourse, findExercise, type Exercise } from '../discover.ts';
import { gradeExercise } from '../grading/pipeline.ts';
import { openGradingSession, type GradingSession } from '../grading/session.ts';
import { Spinner } from '../reporters/spinner.ts';
import { formatCourse, formatExercise, progressBar } from '../reporters/terminal.ts';
import { courseEntries, nextEntry, nextExercise } from './course.ts';
import { revealHint } from './hint.ts';

export interface WatchFlags {
  readonly exercises?: string;
  readonly store?: string;
  /** No file watching: re-grade only when asked (r). */
  readonly manual?: boolean;
}

const KEYS = 'h hint · l list · r re-run · q quit';

/** A grading asked for: re-run despite the cache; when the file was saved (to report the latency); whether to clear the screen first. */
interface Request {
  readonly force: boolean;
  readonly savedAt?: number | undefined;
  readonly clear: boolean;
}

/*
 * Watch mode: one long-lived process that re-grades the exercise being worked on each
 * time one of its files is saved. The typechecker stays warm and a grading child is kept
 * booted in advance, so a save costs a typecheck of the changed file and the checks, not
 * a process start. States: idle (watching) → grading → idle; a save during a grading is
 * remembered and graded right after it. When the exercise passes, the next one that does
 * not becomes the one watched.
 */
class Watcher {
  private current: Exercise | undefined;
  private fsWatcher: FSWatcher | undefined;
  /** Resolves once the watcher has read the files, so that the "Watching" line is true when printed. */
  private watcherReady: Promise<void> = Promise.resolve();
  private grading = false;
  private pending: Request | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private readonly spinner: Spinner;
  private finished: (() => void) | undefined;
  /** Ends the watch with an error, for the CLI's one catch site (a grading that threw is not the student's doing). */
  private crashed: ((error: unknown) => void) | undefined;
  private stopListening: () => void = () => {};

  constructor(
    private readonly session: GradingSession,
    private readonly exercises: readonly Exercise[],
    private readonly io: Io,
    private readonly manual: boolean,
  ) {
    this.spinner = new Spinner(io.stdout);
    session.onProgress = (ex, p) => this.spinner.update(`${ex.id} ${ex.slug} ${progressBar(p.done, p.total, 12)} ${p.done}/${p.total} ${p.check}`);
  }

  /** Runs until the student quits. */
  async run(first: Exercise): Promise<void> {
    const done = new Promise<void>((resolve, reject) => {
      this.finished = resolve;
      this.crashed = reject;
    });
    this.listenToKeys();
    this.switchTo(first, true);
    await done;
  }

  private switchTo(exercise: Exercise, clear: boolean): void {
    this.current = exercise;
    void this.fsWatcher?.close();
    this.fsWatcher = undefined;
    if (!this.manual) {
      // Watch mode grades the student's own files, where they are.
      this.fsWatcher = chokidarWatch(
        exercise.manifest.files.map((f) => join(exercise.dir, f)),
        { ignoreInitial: true },
      );
      const watcher = this.fsWatcher;
      this.watcherReady = new Promise((resolve) => {
        watcher.once('ready', () => resolve());
        watcher.once('error', () => resolve());
      });
      watcher.on('all', (_event, path) => this.onSave(path));
      watcher.on('error', (e) => {
        this.io.stdout.write(`\nWatching files failed (${(e as Error).message}). Press r to re-grade after each save.\n`);
        void this.fsWatcher?.close();
        this.fsWatcher = undefined;
      });
    }
    this.request({ force: false, clear });
  }

  private onSave(path: string): void {
    let savedAt: number | undefined;
    try {
      savedAt = statSync(path).mtimeMs;
    } catch {
      savedAt = undefined;
    }
    // Editors often write a file in several steps: grade once they are done.
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.request({ force: true, savedAt, clear: true }), 25);
  }

  private request(what: Request): void {
    const before = this.pending;
    this.pending = { force: what.force || (before?.force ?? false), savedAt: what.savedAt ?? before?.savedAt, clear: what.clear || (before?.clear ?? false) };
    if (!this.grading) {
      this.gradeLoop().catch((e: unknown) => {
        // Rejected first: the promise then ignores quit()'s resolve.
        this.crashed?.(e);
        this.quit();
      });
    }
  }

  private async gradeLoop(): Promise<void> {
    this.grading = true;
    try {
      while (this.pending !== undefined && this.current !== undefined) {
        const { force, savedAt, clear } = this.pending;
        this.pending = undefined;
        const exercise = this.current;
        const out = this.io.stdout;
        if (clear && out.isTTY) out.write('\u001b[2J\u001b[H');
        this.spinner.update(`grading ${exercise.id} ${exercise.slug}`);
        const { result } = await gradeExercise(exercise, this.session, force);
        this.spinner.clear();
        // The next save will not wait for a process to start.
        this.session.children.prepareSpare();
        const c = pc.createColors(out.color);
        const latency = savedAt === undefined ? '' : `${c.dim(`(verdict ${((Date.now() - savedAt) / 1000).toFixed(2)} s after the save)`)}\n`;
        out.write(`${formatExercise(result, { color: out.color, maxLines: 60 })}\n${latency}\n`);
        if (result.status === 'pass') {
          const next = nextExercise(this.exercises, this.session.store);
          if (next === undefined) {
            out.write(c.green('Every exercise passes. Well done!\n'));
            this.quit();
            return;
          }
          if (next !== exercise) {
            out.write(`On to ${next.id} ${next.slug}: ${relative(this.io.cwd, next.dir)}/README.md\n\n`);
            this.switchTo(next, false);
            continue;
          }
        }
        const files = exercise.manifest.files.map((f) => relative(this.io.cwd, join(exercise.dir, f))).join(', ');
        await this.watcherReady;
        out.write(c.dim(this.manual || this.fsWatcher === undefined ? `Edit ${files}, then press r to re-grade. ${KEYS}\n` : `Watching ${files} — save to re-grade. ${KEYS}\n`));
      }
    } finally {
      this.grading = false;
    }
  }

  private listenToKeys(): void {
    const stdin = this.io.stdin;
    const onKey = (key: string): void => {
      const out = this.io.stdout;
      switch (key.trim().toLowerCase()) {
        case 'q':
        case '\u0003':
          this.quit();
          return;
        case 'r':
          this.request({ force: true, clear: true });
          return;
        case 'h':
          if (this.current !== undefined && this.session.store !== undefined) out.write(`\n${revealHint(this.current, this.session.store, false, out.color)}\n`);
          return;
        case 'l': {
          const course = courseEntries(this.exercises, this.session.workspace, this.session.store);
          out.write(`\n${formatCourse(course, nextEntry(course), { color: out.color })}\n\n`);
          return;
        }
      }
    };
    if (stdin.isTTY) {
      stdin.setRawMode(true);
      stdin.setEncoding('utf8');
      stdin.on('data', onKey);
      this.stopListening = () => {
        stdin.off('data', onKey);
        stdin.setRawMode(false);
        stdin.pause();
      };
      stdin.resume();
    } else {
      // Without a terminal (a pipe, an IDE's console): one command per line.
      const lines = createInterface({ input: stdin });
      lines.on('line', onKey);
      this.stopListening = () => {
        lines.close();
        stdin.pause();
        // A pipe that has been read from keeps the process alive even when paused.
        stdin.unref();
      };
    }
  }

  private quit(): void {
    clearTimeout(this.debounce);
    void this.fsWatcher?.close();
    this.session.children.close();
    void this.session.typechecker.close();
    this.stopListening();
    this.finished?.();
  }
}

/** `threadlings watch [exercise] [--manual]`: re-grades the exercise being worked on as its files are saved. */
export async function watch(name: string | undefined, flags: WatchFlags, io: Io): Promise<ExitCode> {
  const workspace = resolveWorkspace({ cwd: io.cwd, exercises: flags.exercises, store: flags.store });
  const exercises = discoverCourse(workspace, (problem) => io.stderr.write(`warning: ${problem}\n`)).exercises;
  if (exercises.length === 0) {
    io.stdout.write(`No exercises yet: none found in ${relative(io.cwd, workspace.exercisesDir) || '.'}. Nothing to watch.\n`);
    return EXIT.pass;
  }
  const session = openGradingSession(workspace, { solutions: false, force: false, ci: false });
  const first = name === undefined ? nextExercise(exercises, session.store) : findExercise(exercises, name);
  if (first === undefined) {
    io.stdout.write('Every exercise passes. Name one to work on it again: pnpm watch 07\n');
    return EXIT.pass;
  }
  session.typechecker.warm();
  await new Watcher(session, exercises, io, flags.manual === true).run(first);
  return EXIT.pass;
}
