import { Thread } from '@threadlings/core';
import { BOOK, countWords } from './lib/words.ts';

/** A thread of its own type: it counts the words of one chapter. */
export class WordCounter extends Thread {
  /** The chapter this counter counts: a field, copied into the new thread at start(). */
  readonly chapter: string;

  constructor(chapter: string, index: number) {
    super({ name: `counter-${index}` });
    this.chapter = chapter;
  }

  // TODO: a WordCounter does nothing in its thread yet. start() starts a new thread that
  // runs run(), and Thread's own run() calls a target: a WordCounter has none, so its
  // thread ends at once and its result is undefined. Override run() so that it counts the
  // words of this.chapter with countWords() and returns the count: what run() returns is
  // the thread's `result` once it has been joined.
}

/** What countChapters found: the words of each chapter by the name of the thread that counted it, and their total. */
export interface Tally {
  readonly total: number;
  readonly byCounter: Record<string, number>;
}

/** Counts the words of every chapter, each on a WordCounter thread of its own (counter-1, counter-2, …), all at the same time. */
export function countChapters(chapters: readonly string[]): Tally {
  const counters = chapters.map((chapter, i) => new WordCounter(chapter, i + 1));
  for (const c of counters) c.start();
  for (const c of counters) c.join();
  const byCounter: Record<string, number> = {};
  let total = 0;
  for (const c of counters) {
    const words = c.result as number;
    byCounter[c.name] = words;
    total += words;
  }
  return { total, byCounter };
}

export function main(): Tally {
  const tally = countChapters(BOOK);
  for (const [name, words] of Object.entries(tally.byCounter)) console.log(`${name}: ${words} words`);
  console.log(`in all: ${tally.total} words (expected 53)`);
  return tally;
}
