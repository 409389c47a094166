import { describe, expect, it } from 'vitest';
import { stepsToShow } from '../src/explore/report.ts';
import { ScheduleError, checkSlug, compressSteps, formatSchedule, parseSchedule } from '../src/explore/schedule.ts';

describe('schedule format', () => {
  it('round-trips through its one-line form with runs compressed', () => {
    const s = { version: 1, exercise: '06', check: 'The counter loses an update', steps: ['T1', 'T2', 'T2', 'T2', 'T1'] };
    const text = formatSchedule(s);
    expect(text).toBe('threadlings-schedule v1 06 the-counter-loses-an-update: T1 T2×3 T1');
    expect(parseSchedule(text)).toEqual({ ...s, check: 'the-counter-loses-an-update' });
  });

  it('reads the file form, with comments and steps over several lines', () => {
    const text = `threadlings-schedule v1
# my lost update
exercise: 06
check: lost-update
steps: T1 T2   # both read
steps: T1x1, T2*1`;
    expect(parseSchedule(text)).toEqual({ version: 1, exercise: '06', check: 'lost-update', steps: ['T1', 'T2', 'T1', 'T2'] });
  });

  it('rejects text that is not a schedule, naming what is wrong', () => {
    expect(() => parseSchedule('T1 T2')).toThrow(/starts with "threadlings-schedule v1"/);
    expect(() => parseSchedule('threadlings-schedule v2 06 x: T1')).toThrow(/v2 is not known/);
    expect(() => parseSchedule('threadlings-schedule v1 06 x: T1 2T')).toThrow(ScheduleError);
    expect(() => parseSchedule('threadlings-schedule v1\nexercise: 06\nsteps: T1')).toThrow(/no "check:" line/);
    expect(() => parseSchedule('threadlings-schedule v1 06 x: T1×0')).toThrow(/between 1 and 100000/);
  });

  it('round-trips thread names of any characters, quoting those that need it', () => {
    const names = ['A→B', 'my thread', 'rx2', 'T*3', 'say "hi"', 'back\\slash', '#7', 'comma,name', 'T1'];
    const s = { version: 1, exercise: '09', check: 'no deadlock', steps: names.flatMap((n) => [n, n]) };
    const text = formatSchedule(s);
    expect(text).toContain('"A→B"×2 "my thread"×2 "rx2"×2 "T*3"×2');
    expect(text).toContain(' T1×2');
    expect(parseSchedule(text).steps).toEqual(s.steps);
    // The file form too, with a comment after a quoted name holding '#'.
    expect(parseSchedule(`threadlings-schedule v1\nexercise: 09\ncheck: no deadlock\nsteps: "#7" "A→B"x2 # a comment\n`).steps).toEqual(['#7', 'A→B', 'A→B']);
  });

  it('reads an unquoted name ending in digits after x as a repeat, and rejects broken quotes', () => {
    expect(parseSchedule('threadlings-schedule v1 09 x: rx2').steps).toEqual(['r', 'r']);
    expect(() => parseSchedule('threadlings-schedule v1 09 x: "A→B')).toThrow(/must end with a closing "/);
    expect(() => parseSchedule('threadlings-schedule v1 09 x: ""')).toThrow(/cannot be empty/);
    expect(() => parseSchedule('threadlings-schedule v1 09 x: A→B')).toThrow(/put a name that is not a plain word in double quotes/);
  });

  it('makes check names into slugs and compresses runs', () => {
    expect(checkSlug('No lost updates (controlled)!')).toBe('no-lost-updates-controlled');
    expect(compressSteps(['A', 'A', 'B'])).toBe('A×2 B');
  });
});

describe('the interleaving table', () => {
  const shown = (who: number[]) => stepsToShow(who).map((b) => (b ? 'x' : '.')).join('');

  it('elides long stretches of one thread, keeping two steps each side of a switch and at the ends', () => {
    // T1 ×10, T2 ×10, T1 ×1
    expect(shown([...Array(10).fill(0), ...Array(10).fill(1), 0])).toBe('xx......xxxx......xxx');
  });

  it('shows everything when eliding would save fewer than three steps', () => {
    expect(shown([0, 0, 0, 0, 0, 0, 1, 1])).toBe('xxxxxxxx');
    expect(shown([0, 1, 0, 1])).toBe('xxxx');
  });
});
