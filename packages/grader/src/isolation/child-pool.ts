import { GradingChild } from './grading-child.ts';

/**
 * Hands out grading children. Every child grades one exercise and is then gone; a pool
 * only decides *when* the next one is forked: on demand, or ahead of time (watch mode
 * keeps a spare booted while the student edits, so a save costs no process start).
 */
export class ChildPool {
  private spare: GradingChild | undefined;

  /** @param entry the child's module; the real grading child unless a test supplies its own. */
  constructor(private readonly entry?: string) {}

  /** A child, already booting or booted. */
  take(): GradingChild {
    const child = this.spare ?? GradingChild.start(this.entry);
    this.spare = undefined;
    return child;
  }

  /** Starts a child now, for the next `take()`. */
  prepareSpare(): void {
    this.spare ??= GradingChild.start(this.entry);
  }

  close(): void {
    this.spare?.dispose();
    this.spare = undefined;
  }
}
