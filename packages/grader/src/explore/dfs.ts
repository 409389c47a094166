import type { ControlledRun } from './runner.ts';

/*
 * Bounded exhaustive search for tiny cases: a depth-first walk over the choices of who
 * runs at each step. Each run follows a prefix of choices, then a seeded choice at each
 * step (so that gradings with different seeds walk the tree in different orders, and a
 * search cut short by its budget does not catch the same interleaving every time); the
 * next prefix turns the deepest choice that still has an untried alternative. When no
 * choice is left, every interleaving has run.
 */

/** The runnable threads, starting with the one chosen, then the others in order. */
function fromChoice(runnable: readonly number[], chosen: number): number[] {
  const at = Math.max(0, runnable.indexOf(chosen));
  return [...runnable.slice(at), ...runnable.slice(0, at)];
}
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
    // A new frame starts from the choice the run made (a seeded one), then tries the others in turn.
    const frames = run.steps.map((s, i) => this.frames[i] ?? { options: fromChoice(s.runnable, s.who), index: 0 });
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
