import { describe, expect, test } from 'vitest';
import { Event, activeCount, currentThread, enumerate, mainThread } from '../src/index.ts';
import { fixture, joinAll, startThread, until, untilBlocked } from './helpers.ts';

const THREADS = fixture('threads');
const EVENTS = fixture('events');

describe('introspection', () => {
  test('on the supervising thread, currentThread() is mainThread(), named MainThread', () => {
    const me = currentThread();
    expect(me.name).toBe('MainThread');
    expect(me).toBe(mainThread());
    expect(me.isAlive()).toBe(true);
    expect(me.state).toBe('running');
    expect(me.daemon).toBe(false);
  });

  test('enumerate() lists the main thread and every started, unfinished thread; activeCount() is its length', async () => {
    expect(enumerate().map((t) => t.name)).toEqual(['MainThread']);
    expect(activeCount()).toBe(1);
    const gate = new Event();
    const threads = ['one', 'two'].map((name) => startThread(EVENTS, 'waitEvent', [gate], { name }));
    expect(enumerate().map((t) => t.name).sort()).toEqual(['MainThread', 'one', 'two']);
    expect(activeCount()).toBe(3);
    for (const t of threads) await untilBlocked(t, 'Event');
    const listed = enumerate().find((t) => t.name === 'one')!;
    expect(listed.ident).toBe(threads[0]!.ident);
    expect(listed.state).toBe('blocked');
    expect(listed.waitingFor).toMatchObject({ op: 'wait', objectKind: 'Event' });
    gate.set();
    await joinAll(threads);
    expect(enumerate().map((t) => t.name)).toEqual(['MainThread']);
    expect(activeCount()).toBe(1);
  });

  test('inside a thread, currentThread() is that thread and mainThread() is MainThread', async () => {
    const t = startThread(THREADS, 'whoAmI', [], { name: 'probe' });
    await t.joinAsync();
    const seen = t.result as Record<string, unknown>;
    expect(seen).toMatchObject({
      name: 'probe',
      ident: t.ident,
      daemon: false,
      alive: true,
      state: 'running',
      sameAsCurrent: true,
      isMain: false,
      mainName: 'MainThread',
      mainIdent: mainThread().ident,
    });
    expect(seen['enumerated']).toEqual(expect.arrayContaining(['MainThread', 'probe']));
    expect(seen['activeCount']).toBe((seen['enumerated'] as string[]).length);
  });

  test('a thread blocked in join() waits for the joined thread, which it names', async () => {
    const gate = new Event({ name: 'gate' });
    const parent = startThread(THREADS, 'startAndJoin', [gate, 'child'], { name: 'parent' });
    await untilBlocked(parent, 'Thread');
    await until(() => enumerate().some((t) => t.name === 'child' && t.state === 'blocked'), 'the child waits for the gate');
    const child = enumerate().find((t) => t.name === 'child')!;
    expect(parent.waitingFor).toMatchObject({ op: 'join', objectKind: 'Thread', objectLabel: "Thread 'child'", holder: child.ident });
    expect(child.waitingFor).toMatchObject({ op: 'wait', objectLabel: "Event 'gate'" });
    gate.set();
    await parent.joinAsync();
    expect(parent.error).toBeUndefined();
    await until(() => !child.isAlive(), 'the child has ended');
  });
});
