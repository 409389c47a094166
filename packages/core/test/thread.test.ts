import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { Event, Lock, RuntimeError, SharedInt, SupervisorBlockError, Thread, ValueError, liveWorkerCount, sleep } from '../src/index.ts';
import { supervisor } from '../src/internal.ts';
import { Tally, WithCallback, makeUnlisted, threadOnHiddenTarget } from './fixtures/threads.ts';
import { claimThreadExceptions, fixture, startThread, until, untilBlocked } from './helpers.ts';

const THREADS = fixture('threads');

describe('Thread: starting and joining', () => {
  test('start() twice throws RuntimeError "threads can only be started once"', async () => {
    const t = new Thread({ target: 'add', module: THREADS, args: [1, 2] });
    t.start();
    expect(() => t.start()).toThrow(RuntimeError);
    expect(() => t.start()).toThrow('threads can only be started once');
    await t.joinAsync();
    expect(() => t.start()).toThrow('threads can only be started once');
    expect(t.result).toBe(3);
  });

  test('join() before start() throws RuntimeError', async () => {
    const t = new Thread({ target: 'add', module: THREADS, args: [1, 2] });
    expect(() => t.join()).toThrow(expect.objectContaining({ name: 'RuntimeError', message: 'cannot join thread before it is started' }));
    await expect(t.joinAsync()).rejects.toThrow('cannot join thread before it is started');
  });

  test('join() of the current thread throws RuntimeError', async () => {
    const t = startThread(THREADS, 'joinSelf');
    await t.joinAsync();
    expect(t.result).toEqual({ name: 'RuntimeError', code: 'RUNTIME_ERROR', message: 'cannot join current thread' });
  });

  test('join() on the supervising thread throws SupervisorBlockError while the thread runs; join(0) returns', async () => {
    const gate = new Event();
    const t = startThread(THREADS, 'waitFor', [gate]);
    expect(() => t.join()).toThrow(SupervisorBlockError);
    t.join(0);
    expect(t.isAlive()).toBe(true);
    gate.set();
    await t.joinAsync();
  });

  test('join(timeout) in a thread returns once the timeout has passed, with the joined thread still alive', async () => {
    const t = startThread(THREADS, 'joinWithTimeout', [new Event(), 0.05]);
    await t.joinAsync();
    const r = t.result as { aliveAfterTimeout: boolean; elapsedMs: number; aliveAtEnd: boolean };
    expect(r.aliveAfterTimeout).toBe(true);
    expect(r.elapsedMs).toBeGreaterThanOrEqual(45);
    expect(r.aliveAtEnd).toBe(false);
  });

  test('result is what the target returned, readable once the thread has ended', async () => {
    const gate = new Event();
    const waiting = startThread(THREADS, 'waitFor', [gate]);
    await untilBlocked(waiting, 'Event');
    expect(() => waiting.result).toThrow(/has not finished: join\(\) it before reading its result/);
    gate.set();
    await waiting.joinAsync();
    expect(waiting.result).toBeUndefined();
    expect(waiting.error).toBeUndefined();
    const sum = startThread(THREADS, 'add', [2, 3]);
    await sum.joinAsync();
    expect(sum.result).toBe(5);
  });

  test('a thread started in a thread runs, is joined there, and its result is read there', async () => {
    const t = startThread(THREADS, 'startChild', [40, 2]);
    await t.joinAsync();
    expect(t.result).toMatchObject({ result: 42, aliveAfterJoin: false, restart: { name: 'RuntimeError', message: 'threads can only be started once' } });
  });

  test('a thread with no target ends at once, with an undefined result', async () => {
    const t = new Thread();
    t.start();
    expect(t.isAlive()).toBe(false);
    await t.joinAsync();
    expect(t.result).toBeUndefined();
  });

  test('isAlive() and state follow the thread from new to done', async () => {
    const gate = new Event();
    const t = new Thread({ target: 'waitFor', module: THREADS, args: [gate] });
    expect(t.isAlive()).toBe(false);
    expect(t.state).toBe('new');
    expect(t.ident).toBeUndefined();
    expect(t.waitingFor).toBeNull();
    t.start();
    expect(t.isAlive()).toBe(true);
    expect(typeof t.ident).toBe('number');
    await untilBlocked(t, 'Event');
    expect(t.isAlive()).toBe(true);
    gate.set();
    await t.joinAsync();
    expect(t.isAlive()).toBe(false);
    expect(t.state).toBe('done');
  });

  test('every thread gets its own ident', async () => {
    const threads = [0, 1, 2].map(() => startThread(THREADS, 'add', [1, 1]));
    for (const t of threads) await t.joinAsync();
    expect(new Set(threads.map((t) => t.ident)).size).toBe(3);
  });

  test('threads started together are handed to workers only once all have started; one that cannot be sent crashes alone', async () => {
    const gate = new Event();
    const threads: Thread[] = [];
    supervisor().startTogether(() => {
      threads.push(startThread(THREADS, 'waitFor', [gate]));
      // A Map passes the arguments' own check, but a function inside it cannot be cloned.
      threads.push(startThread(THREADS, 'identity', [new Map([['f', () => 1]])]));
      threads.push(startThread(THREADS, 'add', [2, 3]));
      expect(liveWorkerCount()).toBe(0);
    });
    gate.set();
    for (const t of threads) await t.joinAsync();
    expect(threads[0]!.error).toBeUndefined();
    expect(threads[1]!.error?.message).toMatch(/^thread 'Thread-\d+' could not be handed to a worker: .*could not be cloned/);
    expect(threads[2]!.result).toBe(5);
    expect(claimThreadExceptions().map((e) => e.ident)).toEqual([threads[1]!.ident]);
  });
});

describe('Thread: names and daemon flag', () => {
  test('default names are Thread-N, numbered in creation order across all threads', async () => {
    const made = [new Thread(), new Thread(), new Thread()];
    const numbers = made.map((t) => Number(/^Thread-(\d+)$/.exec(t.name)?.[1]));
    expect(numbers[1]).toBe(numbers[0]! + 1);
    expect(numbers[2]).toBe(numbers[0]! + 2);
    const parent = startThread(THREADS, 'startChild', [1, 1]);
    await parent.joinAsync();
    // The parent took the next number; the child it made in its own worker, the one after.
    expect(parent.name).toBe(`Thread-${numbers[2]! + 1}`);
    expect((parent.result as { name: string }).name).toBe(`Thread-${numbers[2]! + 2}`);
  });

  test('a long name is kept whole while the thread runs and after it ends', async () => {
    const name = `worker-${'x'.repeat(80)}`;
    const event = new Event();
    const t = new Thread({ target: 'waitFor', module: THREADS, args: [event], name });
    t.start();
    expect(t.name).toBe(name);
    event.set();
    await t.joinAsync();
    expect(t.name).toBe(name);
  });

  test('a thread that renames itself keeps its new name after it ends', async () => {
    const t = startThread(THREADS, 'renameSelf', ['renamed']);
    await t.joinAsync();
    expect(t.result).toBe('renamed');
    expect(t.name).toBe('renamed');
  });

  test('nativeId is undefined until the thread runs, then stays the same after it ends', async () => {
    const event = new Event();
    const t = new Thread({ target: 'waitFor', module: THREADS, args: [event] });
    expect(t.nativeId).toBeUndefined();
    t.start();
    await until(() => t.nativeId !== undefined, 'the thread to run');
    const id = t.nativeId;
    expect(id).toBeGreaterThan(0);
    event.set();
    await t.joinAsync();
    // Its table slot goes to the next thread; the id it had does not change.
    const others = [0, 1, 2].map(() => startThread(THREADS, 'add', [1, 1]));
    for (const o of others) await o.joinAsync();
    expect(t.nativeId).toBe(id);
  });

  test('enumerate() lists the very Thread objects a thread started, and currentThread()', async () => {
    const t = startThread(THREADS, 'enumerateHoldsChild', [new Event()]);
    await t.joinAsync();
    expect(t.result).toEqual({ whileAlive: true, currentIsListed: true, afterEnd: false });
  });

  test('an empty name gets the default Thread-N, as in Python', () => {
    expect(new Thread({ name: '' }).name).toMatch(/^Thread-\d+$/);
  });

  test('a thread sees the name it was given, and toString() shows it', async () => {
    const t = new Thread({ target: 'whoAmI', module: THREADS, name: 'alpha' });
    expect(String(t)).toBe('<Thread(alpha, initial)>');
    t.start();
    await t.joinAsync();
    expect((t.result as { name: string }).name).toBe('alpha');
    expect(String(t)).toBe(`<Thread(alpha, stopped ${t.ident})>`);
  });

  test('a renamed thread sees its new name', async () => {
    const gate = new Event();
    const t = startThread(THREADS, 'waitFor', [gate], { name: 'before' });
    await untilBlocked(t, 'Event');
    t.name = 'after';
    expect(t.name).toBe('after');
    gate.set();
    await t.joinAsync();
    expect(t.name).toBe('after');
  });

  test('daemon is false by default, settable before start, inherited by threads a daemon starts', async () => {
    const plain = new Thread({ target: 'startChild', module: THREADS, args: [1, 1] });
    expect(plain.daemon).toBe(false);
    const daemon = new Thread({ target: 'startChild', module: THREADS, args: [1, 1] });
    daemon.daemon = true;
    expect(daemon.daemon).toBe(true);
    plain.start();
    daemon.start();
    expect(() => {
      daemon.daemon = false;
    }).toThrow('cannot set daemon status of active thread');
    await plain.joinAsync();
    await daemon.joinAsync();
    expect((plain.result as { daemon: boolean }).daemon).toBe(false);
    expect((daemon.result as { daemon: boolean }).daemon).toBe(true);
    expect(String(daemon)).toMatch(/ daemon\)>$/);
  });

  test('the daemon flag inside a thread is the one it was started with', async () => {
    const d = startThread(THREADS, 'whoAmI', [], { daemon: true });
    await d.joinAsync();
    expect((d.result as { daemon: boolean }).daemon).toBe(true);
  });
});

describe('Thread: bad options say what is wrong', () => {
  test.each([
    [{ target: 42 }, 'Expected `target` to be an exported function, or the name of an export of `module`, got `42` (number)'],
    [{ args: 'x' }, 'Expected `args` to be an array of arguments, got `"x"` (string)'],
    [{ name: 7 }, 'Expected `name` to be a string, got `7` (number)'],
    [{ daemon: 'yes' }, 'Expected `daemon` to be a boolean, got `"yes"` (string)'],
  ])('new Thread(%o) throws ValueError naming the option', (options, message) => {
    expect(() => new Thread(options as never)).toThrow(ValueError);
    expect(() => new Thread(options as never)).toThrow(message);
  });

  test('a target given by name without its module throws ValueError naming `module`', () => {
    const t = new Thread({ target: 'add' });
    expect(() => t.start()).toThrow(ValueError);
    expect(() => t.start()).toThrow(/^Expected `module` to be given when `target` is an export name, got `undefined` \(undefined\)\. Pass `module: import\.meta\.url`/);
    expect(t.isAlive()).toBe(false);
  });

  test('a target that is not exported fails the thread with an error that says to export it', async () => {
    const byName = startThread(THREADS, 'noSuchExport', [], { name: 'by-name' });
    const byFunction = threadOnHiddenTarget();
    byFunction.start();
    await byName.joinAsync();
    await byFunction.joinAsync();
    expect(byName.error?.message).toBe(
      `target \`noSuchExport\` is not exported by ${THREADS}. A new thread loads its target from the module's exports: add \`export\` to its declaration, or pass \`module\` with the module that exports it.`,
    );
    expect(byFunction.error?.message).toMatch(/^target `hidden` is not exported by .*fixtures\/threads\.ts\. .*add `export` to its declaration/);
    expect(claimThreadExceptions().map((e) => e.name).sort()).toEqual([byFunction.name, 'by-name'].sort());
  });

  test('inside a thread, start() on a target that is not exported throws ValueError at once', async () => {
    const t = startThread(THREADS, 'startHiddenTarget');
    await t.joinAsync();
    expect(t.result).toMatchObject({
      name: 'ValueError',
      message: expect.stringMatching(/^target `hidden` is not an exported function of any module this thread loaded\. .*`export function \.\.\.`/),
    });
  });
});

describe('Thread: failures are reported and never hang a join', () => {
  test.each([
    ['methods', /^a non-Error value was thrown: \{ toString: \[Function: toString\], toJSON: \[Function: toJSON\] \}$/],
    ['proxy', /^a non-Error value was thrown: Proxy \[/],
    ['symbol', /^a non-Error value was thrown: Symbol\(oops\)$/],
    ['getter', /^\(its message could not be read\)$/],
  ])('a thread that throws a hostile value (%s) is reported as what it threw, and its join returns', async (kind, message) => {
    const t = startThread(THREADS, 'raiseHostile', [kind], { name: `hostile-${kind}` });
    await t.joinAsync();
    expect(t.error?.message).toMatch(message);
    claimThreadExceptions();
  });

  test('an exception in a thread is reported with the thread name, and its join returns', async () => {
    const t = startThread(THREADS, 'raise', ['boom'], { name: 'failing' });
    await t.joinAsync();
    expect(t.error).toMatchObject({ name: 'Error', message: 'boom' });
    expect(t.error?.stack).toMatch(/^Error: boom\n\s+at raise \(.*fixtures\/threads\.ts:\d+:\d+\)/);
    // The core's worker plumbing is cut from the trace the student sees.
    expect(t.error?.stack).not.toMatch(/worker-entry/);
    expect(t.result).toBeUndefined();
    const reported = claimThreadExceptions();
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatchObject({ name: 'failing', ident: t.ident, crashed: false, error: { message: 'boom' } });
  });

  test('a promise a thread rejects and nothing awaits is that thread\'s exception, and the next thread is not blamed', async () => {
    const t = startThread(THREADS, 'rejectUnawaited', ['unawaited'], { name: 'rejecter' });
    await t.joinAsync();
    expect(t.error).toMatchObject({ name: 'Error', message: 'unawaited (a promise was rejected with this, and nothing awaited it or caught it)' });
    expect(t.result).toBeUndefined();
    expect(claimThreadExceptions()).toMatchObject([{ name: 'rejecter', ident: t.ident }]);
    const next = startThread(THREADS, 'returnTwo', [], { name: 'after' });
    await next.joinAsync();
    expect([next.error, next.result]).toEqual([undefined, 2]);
  });

  test('an exception in a child thread reaches the parent that joins it', async () => {
    const t = startThread(THREADS, 'childRaises');
    await t.joinAsync();
    expect(t.result).toEqual({ error: 'child boom', result: undefined });
    expect(claimThreadExceptions().map((e) => e.name)).toEqual(['failing-child']);
  });

  test('a thread that calls process.exit() ends; its join returns and its error says why', async () => {
    const t = startThread(THREADS, 'exitProcess', [3], { name: 'quitter' });
    await t.joinAsync();
    expect(t.isAlive()).toBe(false);
    expect(t.error?.name).toBe('ThreadExit');
    expect(t.error?.message).toBe("thread 'quitter' ended before its target returned (its worker exited with code 3; was process.exit() called?)");
    const reported = claimThreadExceptions();
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatchObject({ name: 'quitter', crashed: true, error: { name: 'ThreadExit' } });
  });

  test('a thread whose module throws at import ends with that error; its join returns', async () => {
    const t = startThread(fixture('throws-at-import'), 'neverRuns', [], { name: 'bad-import' });
    await t.joinAsync();
    expect(t.error).toMatchObject({ name: 'Error', message: 'this module fails at import' });
    expect(claimThreadExceptions().map((e) => e.name)).toEqual(['bad-import']);
  });

  test('a result that cannot be sent back fails the thread with an error naming it', async () => {
    const t = startThread(THREADS, 'returnFunction');
    await t.joinAsync();
    expect(t.error?.message).toMatch(/^the thread's result is a function, and functions cannot be sent to another thread/);
    claimThreadExceptions();
  });

  test('without a handler, "Exception in thread NAME:" and the trace go to stderr, and the process carries on', async () => {
    const index = fileURLToPath(new URL('../src/index.ts', import.meta.url));
    const script = `
      import { Thread } from ${JSON.stringify(index)};
      for (const [target, args, name] of [['raise', ['boom'], 'failing-thread'], ['exitProcess', [3], 'quitter']]) {
        const t = new Thread({ target, args, name, module: ${JSON.stringify(THREADS)} });
        t.start();
        await t.joinAsync();
      }
      process.stdout.write('still running\\n');
    `;
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd,
      // A script that hangs (a join that never returns) is killed rather than left behind.
      timeout: 20_000,
    });
    expect(stdout).toBe('still running\n');
    expect(stderr).toMatch(/^Exception in thread failing-thread:\nError: boom\n\s+at raise \(/m);
    expect(stderr).toContain("Exception in thread quitter:\nThreadExit: thread 'quitter' ended before its target returned");
  });
});

describe('Thread subclasses', () => {
  test('an exported subclass runs run() with its own fields cloned, and shared objects as live handles', async () => {
    const counter = new SharedInt(0);
    const lock = new Lock();
    expect(lock.acquire(false)).toBe(true);
    const t = new Tally('a', [1, 2], counter, lock);
    expect(t.name).toBe('tally-a');
    t.start();
    await t.joinAsync();
    lock.release();
    expect(t.error).toBeUndefined();
    expect(t.result).toEqual({ label: 'changed in the thread', items: [1, 2, 99], isCurrent: true, name: 'tally-a', lockHeldElsewhere: true });
    // The thread changed its own copy of the fields; this instance's are as they were.
    expect(t.label).toBe('a');
    expect(t.items).toEqual([1, 2]);
    // The shared counter is the same memory.
    expect(counter.value).toBe(3);
  });

  test('a subclass that is not exported fails the thread with an error that says to export it', async () => {
    const t = makeUnlisted();
    t.start();
    await t.joinAsync();
    expect(t.error?.message).toMatch(/^Thread subclass `Unlisted` is not exported by .*fixtures\/threads\.ts\. .*add `export` to its declaration/);
    claimThreadExceptions();
  });

  test('a subclass field that cannot be sent to a thread makes start() throw ValueError naming the field', () => {
    const t = new WithCallback();
    expect(() => t.start()).toThrow(ValueError);
    expect(() => t.start()).toThrow(/^field of WithCallback\.callback is a function, and functions cannot be sent to another thread/);
    expect(t.isAlive()).toBe(false);
  });
});

describe('sleep', () => {
  test('sleep(seconds) in a thread blocks it for at least that long, shown as a sleep', async () => {
    const t = startThread(THREADS, 'sleepFor', [0.2]);
    await untilBlocked(t, 'clock');
    expect(t.waitingFor).toMatchObject({ op: 'sleep' });
    await t.joinAsync();
    expect(t.result as number).toBeGreaterThanOrEqual(195);
  });

  test('sleep() on the supervising thread throws SupervisorBlockError; sleep(0) returns; a negative time throws', () => {
    expect(() => sleep(0.01)).toThrow(SupervisorBlockError);
    expect(() => sleep(0)).not.toThrow();
    expect(() => sleep(-1)).toThrow('Expected `seconds` to be a number of seconds >= 0, got `-1` (number)');
  });
});
