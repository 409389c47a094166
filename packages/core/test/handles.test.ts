import { describe, expect, test } from 'vitest';
import {
  Barrier,
  BoundedSemaphore,
  Condition,
  Event,
  Lock,
  RLock,
  Semaphore,
  SharedInt,
  SharedInt32Array,
  Thread,
  ValueError,
  activeCount,
  liveWorkerCount,
} from '../src/index.ts';
import { fixture, startThread } from './helpers.ts';

const UNTYPED = fixture('untyped');
const THREADS = fixture('threads');
const PROGRAMS = fixture('programs');

describe('shared objects passed to threads', () => {
  test('a SharedInt passed as an argument is the same memory in the thread', async () => {
    const cell = new SharedInt(10);
    const t = startThread(PROGRAMS, 'bump', [cell]);
    await t.joinAsync();
    expect(t.result).toBe(11);
    expect(cell.value).toBe(11);
    cell.value = 100;
    const again = startThread(PROGRAMS, 'bump', [cell]);
    await again.joinAsync();
    expect(again.result).toBe(101);
  });

  test('every kind of shared object arrives as a working handle, even in a module that imports nothing of the core', async () => {
    const all = [
      new Lock(),
      new RLock(),
      new Semaphore(2),
      new BoundedSemaphore(2),
      new Event(),
      new Condition(),
      new Barrier(2),
      new SharedInt(),
      new SharedInt32Array(2),
    ];
    const t = startThread(UNTYPED, 'kindsOf', all);
    await t.joinAsync();
    expect(t.error).toBeUndefined();
    expect(t.result).toEqual(['Lock', 'RLock', 'Semaphore', 'BoundedSemaphore', 'Event', 'Condition', 'Barrier', 'SharedInt', 'SharedInt32Array']);
  });

  test('shared objects nested in plain objects and arrays arrive as handles', async () => {
    const a = new SharedInt(1);
    const b = new SharedInt(5);
    const t = startThread(UNTYPED, 'bumpAll', [{ cells: [a, b] }]);
    await t.joinAsync();
    expect(t.result).toEqual([2, 6]);
    expect([a.value, b.value]).toEqual([2, 6]);
  });

  test('a SharedInt32Array written in a thread is read back on the supervisor', async () => {
    const array = new SharedInt32Array(3);
    const t = startThread(UNTYPED, 'fill', [array, [7, 8, 9]]);
    await t.joinAsync();
    expect(t.result).toBe(3);
    expect(array.toArray()).toEqual([7, 8, 9]);
  });

  test('a shared object a thread returns comes back as a handle to the same memory', async () => {
    const cell = new SharedInt(3);
    const t = startThread(THREADS, 'identity', [cell]);
    await t.joinAsync();
    const back = t.result as SharedInt;
    expect(back).toBeInstanceOf(SharedInt);
    expect(back).not.toBe(cell);
    back.value = 9;
    expect(cell.value).toBe(9);
  });
});

describe('shared integers', () => {
  test('add() returns the value the cell holds, wrapped to 32 bits as the cell wraps', () => {
    const n = new SharedInt(2_147_483_647);
    expect(n.add(1)).toBe(-2_147_483_648);
    expect(n.value).toBe(-2_147_483_648);
    expect(n.sub(1)).toBe(2_147_483_647);
    const a = new SharedInt32Array([2_147_483_647]);
    expect(a.add(0, 1)).toBe(a.get(0));
  });
});

describe('arguments that cannot cross to a thread', () => {
  class Point {
    constructor(public x = 1) {}
  }

  test.each([
    ['a function', [() => 1], /^args\[0\] is a function, and functions cannot be sent to another thread\. Pass data or shared objects; a thread runs an exported function named as its `target`\.$/],
    ['a class instance', [1, new Point()], /^args\[1\] is an instance of Point; a thread would receive a plain copy without its class\. Pass plain data .* or shared objects/],
    ['a function in an object', [{ onDone: () => 1 }], /^args\[0\]\.onDone is a function/],
    ['a symbol in a nested array', [[1, [2, Symbol('s')]]], /^args\[0\]\[1\]\[1\] is a symbol, and symbols cannot be sent to another thread\.$/],
    ['a promise', [Promise.resolve(1)], /^args\[0\] is a Promise, which cannot be sent to another thread\.$/],
    ['a Thread', [new Thread()], /^args\[0\] is an instance of Thread/],
  ])('%s makes start() throw ValueError naming the argument, and starts nothing', (_what, args, message) => {
    const before = activeCount();
    const t = new Thread({ target: 'identity', module: THREADS, args });
    expect(() => t.start()).toThrow(ValueError);
    expect(() => t.start()).toThrow(message);
    expect(t.isAlive()).toBe(false);
    expect(t.state).toBe('new');
    expect(activeCount()).toBe(before);
    expect(liveWorkerCount()).toBe(0);
  });
});
