import { Condition, Event, Lock, Semaphore, SharedInt, liveWorkerCount, terminateAllThreads } from '@threadlings/core';
import { afterAll, describe, expect, it } from 'vitest';
import { exploreScenario, playStudentSchedule, runSchedule } from '../src/explore/index.ts';
import { runControlled } from '../src/explore/runner.ts';
import { defineScenario, type Scenario } from '../src/scenario.ts';
import { DETECTION_CASES } from './fixtures/detection/scenarios.ts';

const mod = new URL('./fixtures/explore/programs.ts', import.meta.url).pathname;

const racy = defineScenario({
  setup: () => ({ c: new SharedInt(0, { name: 'counter' }) }),
  threads: (s) => [
    { module: mod, export: 'incrementRacy', args: [s.c] },
    { module: mod, export: 'incrementRacy', args: [s.c] },
  ],
  judge: (s) => (s.c.peek() === 2 ? { ok: true } : { ok: false, message: `lost update: counter is ${s.c.peek()}, expected 2` }),
});

const locked = defineScenario({
  setup: () => ({ c: new SharedInt(0, { name: 'counter' }), l: new Lock({ name: 'lock' }) }),
  threads: (s) => [1, 2].map(() => ({ module: mod, export: 'incrementLocked', args: [s.c, s.l] })),
  judge: (s) => (s.c.peek() === 2 ? { ok: true } : { ok: false, message: `lost update: counter is ${s.c.peek()}` }),
});

const inverted = defineScenario({
  setup: () => ({ a: new Lock({ name: 'a' }), b: new Lock({ name: 'b' }) }),
  threads: (s) => [
    { module: mod, export: 'lockBoth', args: [s.a, s.b] },
    { module: mod, export: 'lockBoth', args: [s.b, s.a] },
  ],
  judge: () => ({ ok: true }),
});

const opts = { check: 'no lost updates', exercise: '07', seed: 42 };

afterAll(async () => {
  await terminateAllThreads();
  expect(liveWorkerCount()).toBe(0);
});

describe('explore', () => {
  it('finds a lost update, shrinks it to two switches, and shows the interleaving', async () => {
    const r = await exploreScenario(racy, { ...opts, schedules: 200 });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^lost update: counter is 1, expected 2/);
    expect(r.schedule).toMatch(/^threadlings-schedule v1 07 no-lost-updates: /);
    expect(r.reproduce).toBe(`pnpm grade 07 --replay '${r.schedule}'`);
    expect(r.figures).toContainEqual({ name: 'context switches', value: 2 });
    expect(r.details).toMatch(/read SharedInt 'counter' → 0[\s\S]*read SharedInt 'counter' → 0/);
    expect(r.trace?.filter((s) => s.op === 'read').map((s) => s.value)).toEqual([0, 0]);
    // Each step says where it was taken, relative to the working folder.
    expect(r.trace?.every((s) => /^\/.*programs\.ts:\d+:\d+$/.test(s.site ?? ''))).toBe(true);
    expect(r.details).toMatch(/→ 0 +test\/fixtures\/explore\/programs\.ts:5\n/);
  });

  it('gives the judge the history of the run: every operation on a shared object, in order', async () => {
    const run = await runControlled(racy, { mode: 'replay', replay: ['T1', 'T2', 'T1', 'T2'], seed: 1, stepLimit: 100, timeLimitMs: 2000 });
    expect(run.outcome?.history?.map((h) => `${h.thread} ${h.op} ${h.object} ${h.value}`)).toEqual([
      "T1 read SharedInt 'counter' 0",
      "T2 read SharedInt 'counter' 0",
      "T1 write SharedInt 'counter' 1",
      "T2 write SharedInt 'counter' 1",
    ]);
  });

  it('walks the depth-first tree in an order set by the seed', async () => {
    const orders = new Set<string>();
    for (let seed = 1; seed <= 8; seed++) {
      const run = await runControlled(racy, { mode: 'dfs', seed, stepLimit: 100, timeLimitMs: 2000 });
      orders.add(run.steps.map((st) => st.who).join(''));
    }
    expect(orders.size).toBeGreaterThan(1);
  });

  it('shows a two-preemption bug with few preemptions, whatever the seed', async () => {
    const torn = DETECTION_CASES.find((c) => c.name.startsWith('torn read'))!;
    for (const seed of [1, 7920, 15839, 23758, 31677]) {
      const r = await exploreScenario(torn.buggy, { ...opts, seed, schedules: 500 });
      expect(r.status).toBe('fail');
      const shown = Number(r.figures?.find((f) => f.name === 'preemptions')?.value);
      expect(shown).toBeGreaterThanOrEqual(2);
      expect(shown).toBeLessThanOrEqual(4);
    }
  });

  it('replays a found schedule exactly, 100 times out of 100', async () => {
    const found = await exploreScenario(racy, { ...opts, schedules: 200 });
    const shapes = new Set<string>();
    let failed = 0;
    for (let i = 0; i < 100; i++) {
      const out = await runSchedule(racy, found.schedule!, opts);
      if (out.kind !== 'ran') throw new Error(out.message);
      if (out.run.verdict?.ok === false) failed++;
      shapes.add(out.run.steps.map((s) => `${out.run.names[s.who]}:${s.op}:${s.value}`).join(' '));
    }
    expect(failed).toBe(100);
    expect(shapes.size).toBe(1);
  });

  it.each([['A→B', 'my thread'], ['rx2', 'T*3'], ['a thread whose name is longer than thirty-one characters', 'another thread with a name longer than thirty-one characters'], ['worker', 'worker']])(
    'replays the schedule it prints for threads named %s and %s',
    async (first, second) => {
      const named = defineScenario({
        setup: () => ({ c: new SharedInt(0, { name: 'counter' }) }),
        threads: (s) => [first, second].map((name) => ({ module: mod, export: 'incrementRacy', args: [s.c], name })),
        judge: (s) => (s.c.peek() === 2 ? { ok: true } : { ok: false, message: `lost update: counter is ${s.c.peek()}, expected 2` }),
      });
      const found = await exploreScenario(named, { ...opts, schedules: 200 });
      expect(found.status).toBe('fail');
      const again = await runSchedule(named, found.schedule!, opts);
      if (again.kind !== 'ran') throw new Error(again.message);
      expect(again.run.verdict?.ok).toBe(false);
      const replayed = await exploreScenario(named, { ...opts, replay: found.schedule! });
      expect(replayed.status).toBe('fail');
      expect(replayed.schedule).toBe(found.schedule);
    },
  );

  it('says to quote a name that an unquoted schedule reads as a repeat', async () => {
    const named = defineScenario({
      setup: () => ({ c: new SharedInt(0, { name: 'counter' }) }),
      threads: (s) => ['rx2', 'other'].map((name) => ({ module: mod, export: 'incrementRacy', args: [s.c], name })),
      judge: () => ({ ok: true }),
    });
    const out = await runSchedule(named, 'threadlings-schedule v1 07 no-lost-updates: rx2 other', opts);
    expect(out.kind === 'rejected' && out.message).toMatch(/no thread named r .*write it in quotes \("rx2"\): unquoted it reads as r×2/);
  });

  it('replays a hand-written schedule for a two-thread lost update and shows it', async () => {
    const r = await exploreScenario(racy, { ...opts, replay: 'threadlings-schedule v1 07 no-lost-updates: T1 T2 T1 T2' });
    expect(r.kind).toBe('replay');
    expect(r.status).toBe('fail');
    expect(r.message).toBe('lost update: counter is 1, expected 2');
    expect(r.trace?.map((s) => `${s.thread} ${s.op} ${s.value}`)).toEqual(['T1 read 0', 'T2 read 0', 'T1 write 1', 'T2 write 1']);
  });

  it('passes a replay in which nothing fails', async () => {
    const r = await exploreScenario(racy, { ...opts, replay: 'threadlings-schedule v1 07 no-lost-updates: T1×2 T2×2' });
    expect(r.status).toBe('pass');
  });

  it('rejects a schedule that does not fit the program, naming the step', async () => {
    const r = await exploreScenario(racy, { ...opts, replay: 'threadlings-schedule v1 07 no-lost-updates: T1 T1 T1 T2' });
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/does not fit the program at step 3: T1 cannot run/);
    const unknown = await exploreScenario(racy, { ...opts, replay: 'threadlings-schedule v1 07 no-lost-updates: T1 T9' });
    expect(unknown.message).toMatch(/step 2: there is no thread named T9 \(threads: T1, T2\)/);
  });

  it('rejects a schedule written for another exercise or check', async () => {
    const r = await exploreScenario(racy, { ...opts, replay: 'threadlings-schedule v1 08 deadlock: T1 T2' });
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/belongs to exercise 08, check "deadlock"/);
  });

  it('verifies the locked twin exhaustively: every interleaving runs, none fails', async () => {
    const r = await exploreScenario(locked, { ...opts, schedules: 300 });
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/no failure in any of the \d+ possible interleavings \(explored exhaustively\)/);
    // Two threads of acquire, read, write, release: the lock leaves only the orders of the critical sections and the tails.
    expect(r.runs).toBeLessThan(300);
  });

  it('explores with random walks and PCT when the search tree is too big to finish', async () => {
    const r = await exploreScenario(locked, { ...opts, schedules: 300, exhaustiveBudget: 3 });
    expect(r.status).toBe('pass');
    expect(r.runs).toBe(300);
    expect(r.message).toMatch(/no failure in 300 controlled schedules/);
  });

  it('reports a lock-order deadlock with its cycle and where each thread waits', async () => {
    const r = await exploreScenario(inverted, { ...opts, check: 'no deadlock', schedules: 100 });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^deadlock/);
    expect(r.details).toMatch(/"T1" waits to acquire Lock '[ab]' at .*programs\.ts:\d+, held by "T2"/);
    expect(r.details).toMatch(/cycle: "T[12]", which waits for Lock '[ab]' held by "T[12]", which waits for Lock '[ab]' held by "T[12]"/);
  });

  it('names a deadlock only for a cycle, and says who waits for whom', async () => {
    const r = await exploreScenario(inverted, { ...opts, check: 'no deadlock', schedules: 100 });
    expect(r.message).toMatch(/^deadlock: "T[12]" and "T[12]" wait for each other forever — found by/);
  });

  it('tells a notify sent before the wait from a deadlock, naming the Condition and its own lock', async () => {
    const lost = defineScenario({
      setup: () => ({ cond: new Condition(undefined, { name: 'items' }) }),
      threads: (s) => [
        { module: mod, export: 'notifyOnce', args: [s.cond], name: 'producer' },
        { module: mod, export: 'waitUnchecked', args: [s.cond], name: 'consumer' },
      ],
      judge: () => ({ ok: true }),
    });
    const r = await exploreScenario(lost, { ...opts, check: 'the consumer wakes', schedules: 100 });
    expect(r.status).toBe('fail');
    expect(r.message.split(' — found by')[0]).toBe(`lost wake-up: "consumer" waits on Condition 'items' for a notify() that was sent before it began to wait (check the state in a while loop before waiting)`);
    expect(r.message).not.toMatch(/deadlock/);
    expect(r.details).toMatch(/Condition 'items' was notified at step \d+, before "consumer" began to wait at step \d+/);
    expect(r.details).toContain("Condition 'items' (its lock)");
    expect(r.details).not.toMatch(/RLock#\d+/);
  });

  it('says that an event was set and cleared again before its waiter came', async () => {
    const pulsed = defineScenario({
      setup: () => ({ flag: new Event({ name: 'go' }) }),
      threads: (s) => [
        { module: mod, export: 'pulse', args: [s.flag], name: 'starter' },
        { module: mod, export: 'waitForever', args: [s.flag], name: 'runner' },
      ],
      judge: () => ({ ok: true }),
    });
    const r = await exploreScenario(pulsed, { ...opts, check: 'the runner starts', schedules: 100 });
    expect(r.status).toBe('fail');
    expect(r.message.split(' — found by')[0]).toBe(`"runner" waits for Event 'go' forever: it was set and cleared again before "runner" began to wait, and no thread is left to set it`);
    expect(r.details).toMatch(/Event 'go' was set at step \d+ and cleared again at step \d+, before "runner" began to wait/);
  });

  it('says that a lock was kept by a thread that ended', async () => {
    const kept = defineScenario({
      setup: () => ({ lock: new Lock({ name: 'door' }) }),
      threads: (s) => [
        { module: mod, export: 'acquireAndLeave', args: [s.lock], name: 'first' },
        { module: mod, export: 'acquireOnce', args: [s.lock], name: 'second' },
      ],
      judge: () => ({ ok: true }),
    });
    const r = await exploreScenario(kept, { ...opts, check: 'both get through', schedules: 100 });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^"second" waits forever to acquire Lock 'door': "first" ended without releasing it/);
  });

  it('says that a semaphore has no permit left when its holders ended without releasing', async () => {
    const kept = defineScenario({
      setup: () => ({ pool: new Semaphore(1, { name: 'pool' }) }),
      threads: (s) => [
        { module: mod, export: 'acquireAndLeave', args: [s.pool], name: 'first' },
        { module: mod, export: 'acquireOnce', args: [s.pool], name: 'second' },
      ],
      judge: () => ({ ok: true }),
    });
    const r = await exploreScenario(kept, { ...opts, check: 'both get through', schedules: 100 });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^"second" waits to acquire Semaphore 'pool', which has no permit left, and no thread is left to release one/);
  });

  it('reports a wait that nothing can end, without a cycle', async () => {
    const lonely = defineScenario({
      setup: () => ({ flag: new Event({ name: 'ready' }) }),
      threads: (s) => [{ module: mod, export: 'waitForever', args: [s.flag] }],
      judge: () => ({ ok: true }),
    });
    const r = await exploreScenario(lonely, { ...opts, schedules: 5 });
    expect(r.status).toBe('fail');
    expect(r.details).toMatch(/no thread can wake another[\s\S]*"T1" waits \(wait\) on Event 'ready'/);
    expect(r.message.split(' — found by')[0]).toBe(`"T1" waits for Event 'ready' to be set, and no thread is left to set it`);
  });

  it('tells a polling loop that never ends from one starved by an unfair schedule', async () => {
    const polling = defineScenario({
      setup: () => ({ flag: new Event({ name: 'never' }) }),
      threads: (s) => [{ module: mod, export: 'pollForever', args: [s.flag] }],
      judge: () => ({ ok: true }),
    });
    const r = await exploreScenario(polling, { ...opts, schedules: 5, stepLimit: 300 });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/no progress/);
  });

  it('stops a thread that spins on a plain variable, naming it', async () => {
    const spinning = defineScenario({
      setup: () => ({}),
      threads: () => [{ module: mod, export: 'spinPlain', name: 'spinner' }],
      judge: () => ({ ok: true }),
    });
    const r = await exploreScenario(spinning, { ...opts, schedules: 5, runTimeMs: 300 });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^spinner ran for 0\.3 s without reaching any operation on a shared object/);
  });

  it('does not count the time threads take to load their modules against the run', async () => {
    const slow = new URL('./fixtures/explore/slow-load.ts', import.meta.url).pathname;
    const loading = defineScenario({
      setup: () => ({ c: new SharedInt(0, { name: 'counter' }), l: new Lock({ name: 'lock' }) }),
      threads: (s) => [
        { module: slow, export: 'incrementLocked', args: [s.c, s.l] },
        { module: slow, export: 'startSlowChild', args: [s.c, s.l] },
      ],
      judge: (s) => (s.c.peek() === 2 ? { ok: true } : { ok: false, message: `counter is ${s.c.peek()}` }),
    });
    // Each thread's module (and the child's) takes 600 ms to load; the run's own limit is 300 ms.
    const r = await exploreScenario(loading, { ...opts, schedules: 3, runTimeMs: 300 });
    expect(r.message).not.toMatch(/without reaching/);
    expect(r.status).toBe('pass');
  });

  it('counts the time of a child thread that spins before its first operation, once its module is loaded', async () => {
    const run = await runControlled(
      defineScenario({ setup: () => ({}), threads: () => [{ module: mod, export: 'startSpinningChild', name: 'parent' }], judge: () => ({ ok: true }) }),
      { mode: 'random', seed: 1, stepLimit: 100, timeLimitMs: 300, startupMs: 10_000 },
    );
    expect(run.status).toBe('timeout');
    expect(run.neverLoaded).toBe(false);
    expect(run.spinning).toBe('child');
  });

  it('reports a module whose top level never ends as one that never got under way, without an interleaving', async () => {
    const endless = new URL('./fixtures/explore/endless-load.ts', import.meta.url).pathname;
    const run = await runControlled(
      defineScenario({ setup: () => ({}), threads: () => [{ module: endless, export: 'never', name: 'loader' }], judge: () => ({ ok: true }) }),
      { mode: 'random', seed: 1, stepLimit: 100, timeLimitMs: 200, startupMs: 400 },
    );
    expect(run.status).toBe('timeout');
    expect(run.neverLoaded).toBe(true);
    expect(run.steps).toHaveLength(0);
  });

  it('ends timed waits in virtual time, earliest deadline first, once nothing else can run', async () => {
    const race = (setterSleeps: number) =>
      defineScenario({
        setup: () => ({ flag: new Event({ name: 'flag' }), seen: new SharedInt(0) }),
        threads: (s) => [
          { module: mod, export: 'waitWithTimeout', args: [s.flag, s.seen] },
          { module: mod, export: 'setAfter', args: [s.flag, setterSleeps] },
        ],
        judge: () => ({ ok: true }),
      });
    for (const seed of [1, 2, 3, 4, 5]) {
      // The waiter gives up after 0.5 s: a setter sleeping 0.2 s sets the flag first, one sleeping 100 s does not.
      const early = await runControlled(race(0.2), { mode: 'random', seed, stepLimit: 1000, timeLimitMs: 5000 });
      const late = await runControlled(race(100), { mode: 'random', seed, stepLimit: 1000, timeLimitMs: 5000 });
      expect([early.status, late.status]).toEqual(['done', 'done']);
      expect(early.outcome?.results[0]).toBe(true);
      expect(late.outcome?.results[0]).toBe(false);
    }
  });

  it('brings threads started inside a controlled thread into the run, with stable names', async () => {
    const spawning = defineScenario({
      setup: () => ({ c: new SharedInt(0, { name: 'counter' }) }),
      threads: (s) => [{ module: mod, export: 'spawnAndJoin', args: [s.c] }],
      judge: (s) => (s.c.peek() === 2 ? { ok: true } : { ok: false, message: `lost update: counter is ${s.c.peek()}` }),
    });
    const r = await exploreScenario(spawning, { ...opts, schedules: 200 });
    expect(r.status).toBe('fail');
    expect(r.trace?.map((s) => s.thread)).toContain('T1.1');
    const again = await runSchedule(spawning, r.schedule!, opts);
    expect(again.kind === 'ran' && again.run.verdict?.ok).toBe(false);
  });
});

describe('what escapes control', () => {
  it('says when a thread reads the wall clock', async () => {
    const clocked = defineScenario({
      setup: () => ({ c: new SharedInt(0) }),
      threads: (s) => [{ module: mod, export: 'readClock', args: [s.c] }, { module: mod, export: 'incrementRacy', args: [s.c] }],
      judge: () => ({ ok: false, message: 'always fails, to show the report' }),
    });
    const r = await exploreScenario(clocked, { ...opts, schedules: 5 });
    expect(r.details).toMatch(/Note: a thread used the wall clock \(Date\.now\)/);
  });

  it('rejects a thread body that returns a Promise, saying why', async () => {
    const asynchronous = defineScenario({
      setup: () => ({ c: new SharedInt(0) }),
      threads: (s) => [{ module: mod, export: 'asyncBody', args: [s.c] }],
      judge: () => ({ ok: true }),
    });
    const r = await exploreScenario(asynchronous, { ...opts, schedules: 5 });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/thread T1 raised TypeError: `asyncBody` returned a Promise/);
  });
});

describe('detection power (regression guard; pnpm bench:detection measures it)', () => {
  for (const c of DETECTION_CASES) {
    it(`catches ${c.name} under three seeds, and never fails its correct twin`, async () => {
      for (const seed of [3, 5, 8]) {
        const r = await exploreScenario(c.buggy, { check: c.name, exercise: '00', seed, schedules: 500 });
        expect(r.status, `seed ${seed}: ${r.message}`).toBe('fail');
      }
      const twin = await exploreScenario(c.twin, { check: c.name, exercise: '00', seed: 11, schedules: 150 });
      expect(twin.status, twin.message).toBe('pass');
    });
  }

  describe('a schedule a student wrote', () => {
    const file = 'schedules/lost-update.txt';
    const header = 'threadlings-schedule v1\nexercise: 07\ncheck: no lost updates\n';
    const play = <S,>(scenario: Scenario<S>, steps: string, expect: 'fail' | 'deadlock') =>
      playStudentSchedule(scenario, `${header}steps: ${steps}\n`, expect, { ...opts, file });

    it('passes when its interleaving loses the update, and shows it', async () => {
      const r = await play(racy, 'T1 T2 T1 T2', 'fail');
      expect(r.status).toBe('pass');
      expect(r.message).toMatch(/makes it fail: lost update: counter is 1/);
      expect(r.details).toMatch(/T1/);
    });

    it('fails a schedule that runs the threads one after the other, with the interleaving it produced', async () => {
      const r = await play(racy, 'T1 T1 T2 T2', 'fail');
      expect(r.status).toBe('fail');
      expect(r.message).toMatch(/did not produce the failure the exercise asks for: every thread ran to its end/);
      expect(r.details).toMatch(/interleaving your schedule produced/);
    });

    it('tells a deadlock asked for from a deadlock found, and a schedule that does not fit', async () => {
      expect((await play(inverted, 'T1 T2', 'deadlock')).status).toBe('pass');
      expect((await play(inverted, 'T1 T1 T1 T1 T2', 'deadlock')).status).toBe('fail');
      const bad = await play(racy, 'T1 T3', 'fail');
      expect(bad.status).toBe('fail');
      expect(bad.message).toMatch(/^schedules\/lost-update\.txt: .*step 2: there is no thread named T3/);
      const long = await play(racy, 'T1 T2 T1 T2 T1', 'fail');
      expect(long.message).toMatch(/step 5: it has 5 steps, but after step 4 every thread had finished/);
      const unreadable = await playStudentSchedule(racy, 'steps: T1 T2', 'fail', { ...opts, file });
      expect(unreadable.message).toMatch(/cannot be read: a schedule starts with "threadlings-schedule v1"/);
    });
  });
});
