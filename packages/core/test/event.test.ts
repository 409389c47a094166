import { describe, expect, test } from 'vitest';
import { Event, SharedInt, SupervisorBlockError, ValueError } from '../src/index.ts';
import { fixture, joinAll, startThread, untilBlocked } from './helpers.ts';

const EVENTS = fixture('events');

describe('Event', () => {
  test('isSet() is false at first, true after set(), false after clear(), in every thread', async () => {
    const ev = new Event();
    expect(ev.isSet()).toBe(false);
    const t = startThread(EVENTS, 'setAndClear', [ev]);
    await t.joinAsync();
    expect(t.result).toEqual([false, true, false]);
    ev.set();
    expect(ev.isSet()).toBe(true);
    ev.set();
    expect(ev.isSet()).toBe(true);
    ev.clear();
    expect(ev.isSet()).toBe(false);
  });

  test('set() wakes every waiting thread, and wait() returns true in each', async () => {
    const ev = new Event({ name: 'go' });
    const woke = new SharedInt(0);
    const waiters = [0, 1, 2, 3].map((i) => startThread(EVENTS, 'waitAndCount', [ev, woke], { name: `waiter-${i}` }));
    for (const t of waiters) await untilBlocked(t, 'Event');
    expect(waiters[0]!.waitingFor).toMatchObject({ op: 'wait', objectLabel: "Event 'go'", holder: 0 });
    expect(woke.value).toBe(0);
    ev.set();
    await joinAll(waiters);
    expect(woke.value).toBe(4);
    expect(waiters.map((t) => t.result)).toEqual([true, true, true, true]);
  });

  test('wait() returns true at once when the flag is already set', async () => {
    const ev = new Event();
    ev.set();
    const t = startThread(EVENTS, 'waitEvent', [ev]);
    await t.joinAsync();
    expect((t.result as { result: boolean }).result).toBe(true);
    expect(ev.wait()).toBe(true);
  });

  test('wait(timeout) returns false once the timeout has passed without a set()', async () => {
    const ev = new Event();
    const t = startThread(EVENTS, 'waitEvent', [ev, 0.05]);
    await t.joinAsync();
    const r = t.result as { result: boolean; elapsedMs: number };
    expect(r.result).toBe(false);
    expect(r.elapsedMs).toBeGreaterThanOrEqual(45);
  });

  test('wait(0) returns the flag without waiting', async () => {
    const ev = new Event();
    expect(ev.wait(0)).toBe(false);
    ev.set();
    expect(ev.wait(0)).toBe(true);
  });

  test('a set() then clear() before the waiter runs still makes its wait() return true', async () => {
    const ev = new Event();
    const t = startThread(EVENTS, 'waitEvent', [ev]);
    await untilBlocked(t, 'Event');
    // Both happen before the waiter can run again: it wakes to a cleared flag.
    ev.set();
    ev.clear();
    await t.joinAsync();
    expect((t.result as { result: boolean }).result).toBe(true);
    expect(ev.isSet()).toBe(false);
  });

  test('a set() then clear() also releases a timed wait with true', async () => {
    const ev = new Event();
    const t = startThread(EVENTS, 'waitEvent', [ev, 20]);
    await untilBlocked(t, 'Event');
    ev.set();
    ev.clear();
    await t.joinAsync();
    expect((t.result as { result: boolean }).result).toBe(true);
  });

  test('a wait() that begins after clear() blocks again until the next set()', async () => {
    const ev = new Event();
    ev.set();
    ev.clear();
    const t = startThread(EVENTS, 'waitEvent', [ev]);
    await untilBlocked(t, 'Event');
    expect(t.isAlive()).toBe(true);
    ev.set();
    await t.joinAsync();
    expect((t.result as { result: boolean }).result).toBe(true);
  });

  test('wait() on the supervising thread throws SupervisorBlockError; waitAsync() waits instead', async () => {
    const ev = new Event();
    expect(() => ev.wait()).toThrow(SupervisorBlockError);
    expect(await ev.waitAsync(0.01)).toBe(false);
    const pending = ev.waitAsync();
    const t = startThread(EVENTS, 'setAndClear', [ev]);
    expect(await pending).toBe(true);
    await t.joinAsync();
  });

  test('a negative or non-numeric timeout throws ValueError naming it', () => {
    const ev = new Event();
    expect(() => ev.wait(-1)).toThrow(ValueError);
    expect(() => ev.wait('1' as unknown as number)).toThrow('Expected `timeout` to be a number of seconds, got `"1"` (string)');
  });
});
