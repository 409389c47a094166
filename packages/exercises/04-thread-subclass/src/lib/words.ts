/*
 * The chapters and the counting: helpers you call and do not edit. countWords() marks its
 * work for the grader's work gauge, which sees how many threads are inside it at once.
 */
import { gauge } from '@threadlings/grader/gauge';

/** The number of words in `text`: the runs of letters, digits and apostrophes. */
export function countWords(text: string): number {
  return gauge.measure(() => {
    let words = 0;
    let inWord = false;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      const letter = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 39 || c > 127;
      if (letter && !inWord) words++;
      inWord = letter;
    }
    return words;
  });
}

/** A short book, one string per chapter. */
export const BOOK: readonly string[] = [
  'It was a bright cold day in April, and the clocks were striking thirteen.',
  'The sky above the port was the colour of television, tuned to a dead channel.',
  "Call me Ishmael. Some years ago, never mind how long precisely, I thought I'd sail about a little.",
  'All this happened, more or less.',
];
