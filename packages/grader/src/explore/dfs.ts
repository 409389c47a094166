import type { ControlledRun } from './runner.ts';

/*
 * Bounded exhaustive search for tiny cases: a depth-first walk over the choices of who
 * runs at each step. Each run follows a prefix of choices, then always the first
 * runnable thread; the next prefix turns the deepest choice that still has an untried
 * alternative. When no choice is left, every interleaving has run.
 */
interface Frame {
  readonly options: readonly number[];
  index: number;
}

export class DepthFirst {
  private frames: Frame[] = [];

  /** The prefix the next run follows. */
  get prefix(): number[] {
    return this.frames.map((f) => f.options[f.index]!);
  }

  /** Takes in a finished run. @returns false when the whole tree has been explored. */
  advance(run: ControlledRun): boolean {
    const frames = run.steps.map((s, i) => this.frames[i] ?? { options: s.runnable, index: Math.max(0, s.runnable.indexOf(s.who)) });
    for (let i = frames.length - 1; i >= 0; i--) {
      const f = frames[i]!;
      if (f.index + 1 < f.options.length) {
        this.frames = frames.slice(0, i + 1);
        this.frames[i] = { options: f.options, index: f.index + 1 };
        return true;
      }
    }
    return false;
  }
}
