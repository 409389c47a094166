import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Seeds, and seeded randomness. Everything random in a check derives from one seed
 * (docs/architecture.md, "Two ways to run a check"): the check's (from the graded files, or --seed), a run's from
 * the check's, a thread's from its run's. Kept small: the chaos strategy loads it in
 * every thread.
 */

/** Mixes two 32-bit values into a seed in [0, 2^31) (murmur3's finaliser over their combination). */
export function mixSeed(a: number, b: number): number {
  let h = (Math.imul(a | 0, 0x9e3779b1) ^ (b | 0)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h & 0x7fffffff;
}

/** FNV-1a over a string's UTF-16 units, continuing from `hash`. */
export function hashText(text: string, hash = 0x811c9dc5): number {
  let h = hash >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * A fast seeded generator (xorshift32): the same seed gives the same sequence in every
 * thread and on every machine.
 *
 * @example
 * ```ts
 * const random = new Random(mixSeed(seed, run));
 * if (random.chance(1 / 64)) delay(random.below(1000));
 * ```
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = mixSeed(seed, 0x5eed) | 1;
  }

  /** The next 32-bit unsigned value. */
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x;
    return x >>> 0;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return n <= 1 ? 0 : this.next() % n;
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p * 0x100000000;
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }
}

/**
 * The default seed of a check (docs/architecture.md): derived from the graded files'
 * contents and the check's name, so that the same code gets the same verdict, and
 * changed code is explored afresh. `--seed` replaces it.
 *
 * @example
 * ```ts
 * defaultSeed('/work/ex/07-locks', ['src/bank.ts'], 'no lost updates')   // e.g. 1739203311
 * ```
 */
export function defaultSeed(sourceRoot: string, files: readonly string[], check: string): number {
  let h = hashText(check);
  for (const file of files) {
    h = hashText(file, h);
    try {
      h = hashText(readFileSync(resolve(sourceRoot, file), 'utf8'), h);
    } catch {
      h = hashText('<missing>', h);
    }
  }
  return mixSeed(h, 0x7eed);
}
