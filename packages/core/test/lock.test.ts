import { describe, expect, test } from 'vitest';
import { Event, Lock, RLock, SharedInt } from '../src/index.ts';
import { fixture, joinAll, startThread, untilBlocked } from './helpers.ts';
import { mutexSuite } from './suites/mutex-suite.ts';

const LOCKS = fixture('locks');

mutexSuite({ kind: 'Lock', make: (name) => new Lock(name === undefined ? undefined : { name }), releaseUnheldMessage: 'release unlocked lock' });
mutexSuite({ kind: 'RLock', make: (name) => new RLock(name === undefined ? undefined : { name }), releaseUnheldMessage: 'cannot release un-acquired lock' });

describe('Lock', () => {
  test('release() from another thread than the acquirer frees the lock and wakes a waiter', async () => {
    const lock = new Lock();
    const acquirer = startThread(LOCKS, 'acquireAndKeep', [lock], { name: 'acquirer' });
    await acquirer.joinAsync();
    expect(lock.locked()).toBe(true);
    expect(lock.owner).toBe(acquirer.ident);
    const mark = new SharedInt(0);
    const waiter = startThread(LOCKS, 'acquireAndMark', [lock, mark]);
    await untilBlocked(waiter, 'Lock');
    const releaser = startThread(LOCKS, 'releaseCatching', [lock]);
    await joinAll([releaser, waiter]);
    expect(releaser.result).toBeNull();
    expect(mark.value).toBe(1);
    expect(lock.locked()).toBe(false);
  });

  test('the supervising thread may release a lock a thread acquired', async () => {
    const lock = new Lock();
    const acquirer = startThread(LOCKS, 'acquireAndKeep', [lock]);
    await acquirer.joinAsync();
    lock.release();
    expect(lock.locked()).toBe(false);
    expect(lock.owner).toBe(0);
  });

  test('a Lock is not reentrant: its holder acquiring it again times out', async () => {
    const lock = new Lock();
    const t = startThread(LOCKS, 'reacquireWithTimeout', [lock, 0.05]);
    await t.joinAsync();
    const r = t.result as { again: boolean; elapsedMs: number };
    expect(r.again).toBe(false);
    expect(r.elapsedMs).toBeGreaterThanOrEqual(45);
    expect(lock.locked()).toBe(false);
  });

  test('locked() tells whether some thread holds the lock', async () => {
    const lock = new Lock();
    expect(lock.locked()).toBe(false);
    const held = new Event();
    const letGo = new Event();
    const h = startThread(LOCKS, 'holdUntil', [lock, held, letGo]);
    await held.waitAsync();
    expect(lock.locked()).toBe(true);
    letGo.set();
    await h.joinAsync();
    expect(lock.locked()).toBe(false);
  });

  test('acquire(true, 0) is a non-blocking attempt', async () => {
    const lock = new Lock();
    const held = new Event();
    const letGo = new Event();
    const h = startThread(LOCKS, 'holdUntil', [lock, held, letGo]);
    await held.waitAsync();
    const t = startThread(LOCKS, 'timedAcquire', [lock, 0]);
    await t.joinAsync();
    expect((t.result as { acquired: boolean }).acquired).toBe(false);
    letGo.set();
    await h.joinAsync();
  });
});

describe('RLock', () => {
  test('its owner re-acquires it without blocking, and it is free only after as many releases', async () => {
    const lock = new RLock();
    const [held, letGo, freed, end] = [new Event(), new Event(), new Event(), new Event()];
    const owner = startThread(LOCKS, 'reenterAndUnwind', [lock, held, letGo, freed, end], { name: 'owner' });
    await held.waitAsync();
    // Acquired three times, released twice: still held at level 1.
    expect(lock.owner).toBe(owner.ident);
    expect(lock.acquire(false)).toBe(false);
    const probe = startThread(LOCKS, 'tryAcquire', [lock]);
    await probe.joinAsync();
    expect(probe.result).toBe(false);
    letGo.set();
    await freed.waitAsync();
    expect(lock.owner).toBe(0);
    const probe2 = startThread(LOCKS, 'tryAcquire', [lock]);
    await probe2.joinAsync();
    expect(probe2.result).toBe(true);
    end.set();
    await owner.joinAsync();
    // Its fourth release, of a lock it no longer holds, threw.
    expect(owner.result).toMatchObject({ name: 'RuntimeError', message: 'cannot release un-acquired lock' });
  });

  test('release() by a thread that does not own it throws RuntimeError and leaves it held', async () => {
    const lock = new RLock();
    const held = new Event();
    const letGo = new Event();
    const h = startThread(LOCKS, 'holdUntil', [lock, held, letGo]);
    await held.waitAsync();
    const other = startThread(LOCKS, 'releaseCatching', [lock]);
    await other.joinAsync();
    expect(other.result).toEqual({ name: 'RuntimeError', code: 'RUNTIME_ERROR', message: 'cannot release un-acquired lock' });
    expect(() => lock.release()).toThrow('cannot release un-acquired lock');
    expect(lock.owner).toBe(h.ident);
    letGo.set();
    await h.joinAsync();
    expect(h.error).toBeUndefined();
    expect(lock.owner).toBe(0);
  });

  test('the supervisor can hold an RLock recursively: count semantics', () => {
    const lock = new RLock();
    expect(lock.acquire()).toBe(true);
    expect(lock.acquire(false)).toBe(true);
    expect(lock.acquire(true, 1)).toBe(true);
    lock.release();
    lock.release();
    expect(lock.owner).toBe(1);
    lock.release();
    expect(lock.owner).toBe(0);
    expect(() => lock.release()).toThrow('cannot release un-acquired lock');
  });
});
