import { describe, expect, test } from 'vitest';
import { BoundedSemaphore, Semaphore, ValueError } from '../src/index.ts';
import { fixture, startThread } from './helpers.ts';
import { semaphoreSuite } from './suites/semaphore-suite.ts';

const LOCKS = fixture('locks');

semaphoreSuite({ kind: 'Semaphore', make: (value) => new Semaphore(value) });
semaphoreSuite({ kind: 'BoundedSemaphore', make: (value) => new BoundedSemaphore(value) });

describe('Semaphore', () => {
  test('release() may raise the value above its initial value', () => {
    const sem = new Semaphore(1);
    sem.release(2);
    expect(sem.value).toBe(3);
    expect(sem.initialValue).toBe(1);
  });
});

describe('BoundedSemaphore', () => {
  test('a release above the initial value throws ValueError "Semaphore released too many times"', () => {
    const sem = new BoundedSemaphore(2);
    expect(() => sem.release()).toThrow(ValueError);
    expect(() => sem.release()).toThrow('Semaphore released too many times');
    expect(sem.value).toBe(2);
    expect(sem.acquire(false)).toBe(true);
    expect(() => sem.release(2)).toThrow('Semaphore released too many times');
    expect(sem.value).toBe(1);
    sem.release();
    expect(sem.value).toBe(2);
  });

  test('an over-release in a thread throws there, and the bound holds', async () => {
    const sem = new BoundedSemaphore(1);
    const t = startThread(LOCKS, 'releaseCatching', [sem]);
    await t.joinAsync();
    expect(t.result).toEqual({ name: 'ValueError', code: 'VALUE_ERROR', message: 'Semaphore released too many times' });
    expect(sem.value).toBe(1);
  });

  test('arrives in a thread as a BoundedSemaphore, bound included', async () => {
    const sem = new BoundedSemaphore(3);
    expect(sem.acquire(false)).toBe(true);
    const t = startThread(LOCKS, 'releaseCatching', [sem]);
    await t.joinAsync();
    expect(t.result).toBeNull();
    const t2 = startThread(LOCKS, 'releaseCatching', [sem]);
    await t2.joinAsync();
    expect(t2.result).toMatchObject({ message: 'Semaphore released too many times' });
    expect(sem.value).toBe(3);
  });
});
