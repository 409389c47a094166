import { mkdtempSync, readFileSync, writeFileSync, existsSync, mkdirSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradingFingerprint } from '../src/store/fingerprint.ts';
import { Store } from '../src/store/store.ts';
import { failing, passing } from './support/results.ts';

const temp = (): string => mkdtempSync(join(tmpdir(), 'threadlings-store-'));

describe('the store', () => {
  it('remembers a pass for the same fingerprint only', () => {
    const dir = temp();
    new Store(dir).recordVerdict('student', '01-threads', 'abc', passing);
    const store = new Store(dir);
    expect(store.cachedPass('student', '01-threads', 'abc')).toEqual(passing);
    expect(store.cachedPass('student', '01-threads', 'changed')).toBeUndefined();
    expect(store.cachedPass('solutions', '01-threads', 'abc')).toBeUndefined();
    expect(store.status('01-threads')).toBe('pass');
  });

  it('forgets the cached pass when the exercise fails again', () => {
    const dir = temp();
    const store = new Store(dir);
    store.recordVerdict('student', '07-locks', 'abc', { ...passing, id: '07' });
    store.recordVerdict('student', '07-locks', 'abc', failing);
    expect(store.cachedPass('student', '07-locks', 'abc')).toBeUndefined();
    expect(new Store(dir).status('07-locks')).toBe('fail');
  });

  it('does not change progress when grading solutions', () => {
    const store = new Store(temp());
    store.recordVerdict('solutions', '07-locks', 'abc', passing);
    expect(store.status('07-locks')).toBeUndefined();
  });

  it('counts hints shown, and keeps them when an exercise is forgotten after a reset', () => {
    const dir = temp();
    const store = new Store(dir);
    store.recordHintsShown('07-locks', 2);
    store.recordVerdict('student', '07-locks', 'abc', passing);
    store.forget('07-locks');
    const again = new Store(dir);
    expect(again.hintsShown('07-locks')).toBe(2);
    expect(again.status('07-locks')).toBeUndefined();
    expect(again.cachedPass('student', '07-locks', 'abc')).toBeUndefined();
  });

  it('keeps an unreadable state file aside instead of overwriting it', () => {
    const dir = temp();
    writeFileSync(join(dir, 'state.json'), '{ not json');
    const store = new Store(dir);
    expect(store.warning).toMatch(/kept as state.json.bad/);
    expect(readFileSync(join(dir, 'state.json.bad'), 'utf8')).toBe('{ not json');
    store.recordHintsShown('01', 1);
    expect(existsSync(join(dir, 'state.json'))).toBe(true);
  });
});

describe('the grading fingerprint', () => {
  it('changes when a graded file, the checks or the solution changes, and only then', () => {
    const root = temp();
    const ex = join(root, 'ex');
    const sol = join(root, 'sol');
    mkdirSync(join(ex, 'src'), { recursive: true });
    writeFileSync(join(ex, 'src', 'a.ts'), 'export const a = 1;');
    writeFileSync(join(ex, 'checks.ts'), 'export {};');
    cpSync(ex, sol, { recursive: true });
    const before = gradingFingerprint(ex, ex);
    expect(gradingFingerprint(ex, ex)).toBe(before);
    writeFileSync(join(ex, 'src', 'a.ts'), 'export const a = 2;');
    const edited = gradingFingerprint(ex, ex);
    expect(edited).not.toBe(before);
    writeFileSync(join(ex, 'checks.ts'), 'export const x = 1;');
    expect(gradingFingerprint(ex, ex)).not.toBe(edited);
    const withSolution = gradingFingerprint(ex, sol);
    writeFileSync(join(sol, 'src', 'a.ts'), 'export const a = 3;');
    expect(gradingFingerprint(ex, sol)).not.toBe(withSolution);
  });
});
