import { GradingChild } from './grading-child.ts';

/**
 * Hands out grading children. Every child grades one exercise and is then gone; a pool
 * only decides *when* the next one is forked: on demand, or ahead of time (watch mode
 * keeps a spare booted while the student edits, so a save costs no process start).
 */
export class ChildPool {
  private spare: GradingChild | undefined;

  /**
   * @param entry the child's module; the real grading child unless a test supplies its own.
   * @param readable run the children sandboxed, able to read only these paths (sandbox.ts).
   */
  constructor(
    private readonly entry?: string,
    private readonly readable?: readonly string[],
  ) {}

  /** A child, already booting or booted. */
  take(): GradingChild {
    const child = this.spare ?? GradingChild.start(this.entry, this.readable);
    this.spare = undefined;
    return child;
  }

  /** Starts a child now, for the next `take()`. */
  prepareSpare(): void {
    this.spare ??= GradingChild.start(this.entry, this.readable);
  }

  close(): void {
    this.spare?.dispose();
    this.spare = undefined;
  }
}
