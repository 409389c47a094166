import { describe, expect, it } from 'vitest';
import type { ThreadRecord, WaitRecord } from '@threadlings/core/internal';
import { NO_OBJECTS, type ObjectIndex } from '../../src/checks/objects.ts';
import { findCycle, stuckKey, type Scan, type SeenThread } from '../../src/checks/wait-graph.ts';

/*
 * The watchdog's judgement on made-up looks at the thread table: what is a deadlock,
 * what is stuck, and what only looks like it for a moment.
 */
function waiting(op: WaitRecord['op'], objectId: number, kind: WaitRecord['objectKind'], holder: number, timeoutMs = Infinity): WaitRecord {
  return { op, objectId, objectKind: kind, objectLabel: `${kind} '${objectId}'`, holder, forMs: 5, site: '', timeoutMs };
}

function thread(ident: number, wait: WaitRecord | null, park = 0): SeenThread {
  const rec: ThreadRecord = {
    slot: ident,
    ident,
    name: `T${ident}`,
    state: wait === null ? 'running' : 'blocked',
    daemon: false,
    hidden: false,
    nativeId: ident,
    osTid: 0,
    parent: 1,
    waiting: wait,
    lastOp: 'acquire',
    lastObjectLabel: '',
    opCount: 10,
    exit: 0,
  };
  return { rec, since: 100 + ident, park };
}

const scan = (...threads: SeenThread[]): Scan => ({ at: 0, threads });

const owners = (map: Record<number, number>): ObjectIndex => ({ ownerOf: (id) => map[id], releases: (id) => map[id] === 0 });

describe('the wait-for graph', () => {
  it('finds two threads each waiting for a lock the other holds', () => {
    const s = scan(thread(2, waiting('acquire', 7, 'Lock', 3)), thread(3, waiting('acquire', 8, 'Lock', 2)));
    const cycle = findCycle(s, NO_OBJECTS);
    expect(cycle?.threads.map((t) => t.rec.name)).toEqual(['T2', 'T3']);
    expect(cycle?.verified).toBe(false);
  });

  it('checks each edge against the lock itself when the lock is known', () => {
    const s = scan(thread(2, waiting('acquire', 7, 'Lock', 3)), thread(3, waiting('acquire', 8, 'Lock', 2)));
    expect(findCycle(s, owners({ 7: 3, 8: 2 }))?.verified).toBe(true);
    // The holder recorded when T2 began to wait has released lock 7 since: T2 is about to get it.
    expect(findCycle(s, owners({ 7: 0, 8: 2 }))).toBeUndefined();
  });

  it('never counts a wait with a timeout: a try-lock with back-off ends by itself', () => {
    const s = scan(thread(2, waiting('acquire', 7, 'Lock', 3, 50)), thread(3, waiting('acquire', 8, 'Lock', 2)));
    expect(findCycle(s, NO_OBJECTS)).toBeUndefined();
  });

  it('follows joins: a thread joining one that waits for a lock it holds', () => {
    const s = scan(thread(2, waiting('join', 9, 'Thread', 3)), thread(3, waiting('acquire', 7, 'Lock', 2)));
    expect(findCycle(s, NO_OBJECTS)?.threads.length).toBe(2);
  });

  it('gives the same key to the same cycle in two looks, and another when a wait began again', () => {
    const a = scan(thread(2, waiting('acquire', 7, 'Lock', 3)), thread(3, waiting('acquire', 8, 'Lock', 2)));
    const b = scan(thread(2, waiting('acquire', 7, 'Lock', 3)), thread(3, waiting('acquire', 8, 'Lock', 2)));
    expect(findCycle(a, NO_OBJECTS)?.key).toBe(findCycle(b, NO_OBJECTS)?.key);
    const again = { ...thread(3, waiting('acquire', 8, 'Lock', 2)), since: 999 };
    expect(findCycle(scan(a.threads[0]!, again), NO_OBJECTS)?.key).not.toBe(findCycle(a, NO_OBJECTS)?.key);
  });
});

describe('stuck threads', () => {
  it('are all waiting, without a timeout, for something nobody is about to give', () => {
    expect(stuckKey(scan(thread(2, waiting('wait', 5, 'Event', 0))), NO_OBJECTS)).toBeDefined();
  });

  it('are not stuck while another thread runs or sleeps', () => {
    expect(stuckKey(scan(thread(2, waiting('wait', 5, 'Event', 0)), thread(3, null)), NO_OBJECTS)).toBeUndefined();
    expect(stuckKey(scan(thread(2, waiting('wait', 5, 'Event', 0)), thread(3, waiting('sleep', 6, 'clock', 0, 300))), NO_OBJECTS)).toBeUndefined();
  });

  it('are not stuck once notified, or when what they wait for is there', () => {
    expect(stuckKey(scan(thread(2, waiting('wait', 5, 'Condition', 0), 17)), NO_OBJECTS)).toBeUndefined();
    const eventSet: ObjectIndex = { ownerOf: () => undefined, releases: (id) => id === 5 };
    expect(stuckKey(scan(thread(2, waiting('wait', 5, 'Event', 0))), eventSet)).toBeUndefined();
  });

  it('are not stuck joining a thread that has ended', () => {
    expect(stuckKey(scan(thread(2, waiting('join', 9, 'Thread', 4))), NO_OBJECTS)).toBeUndefined();
  });
});
