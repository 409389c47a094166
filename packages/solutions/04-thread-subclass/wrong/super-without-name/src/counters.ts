import { Thread } from '@threadlings/core';
import { BOOK, countWords } from './lib/words.ts';

/** A thread of its own type: it counts the words of one chapter. */
export class WordCounter extends Thread {
  /** The chapter this counter counts: a field, copied into the new thread at start(). */
  readonly chapter: string;

  constructor(chapter: string, _index: number) {
    // Wrong: Thread's options are not passed on, so the thread gets a default name, Thread-N.
    super();
    this.chapter = chapter;
  }

  // What the new thread runs, on its own copy of the fields: start() calls it there. The
  // count goes back to the caller as the thread's `result` (a field set here would change
  // only the thread's copy).
  override run(): number {
    return countWords(this.chapter);
  }
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
