import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import './setup.ts';
import { firstProblem, gradeFixture, statuses } from './grade-fixture.ts';

describe('waits that nothing can end', () => {
  it('reports a consumer waiting for an event nobody sets, with what it waits on and where', async () => {
    const problem = firstProblem(await gradeFixture('05-event-never-set'))!;
    expect(problem.status).toBe('fail');
    expect(problem.message).toBe('Every thread is waiting, and no thread is left to wake them: "consumer" waits for Event \'ready\' to be set (at src/pipeline.ts:12).');
    expect(problem.location).toEqual({ file: 'src/pipeline.ts', line: 12 });
  });

  it('reports a consumer waiting for a notify that came before it waited', async () => {
    const problem = firstProblem(await gradeFixture('16-lost-notify'))!;
    expect(problem.status).toBe('fail');
    expect(problem.message).toContain('"consumer" waits on Condition \'changed\' for a notify() (at src/pipeline.ts:15)');
  });

  it('passes a consumer woken by the event, without busy waiting', async () => {
    const results = await gradeFixture('06-event-set');
    expect(statuses(results)).toEqual({ 'the consumer gets the value': 'pass', 'the consumer waits without spinning': 'pass', 'the program hands the value over': 'pass' });
  });

  it("reports the same in a program's own threads, its main thread included", async () => {
    const [problem] = await gradeFixture('05-event-never-set', { only: 'the program hands the value over' });
    expect(problem!.status).toBe('fail');
    expect(problem!.message).toBe(
      'Every thread is waiting, and no thread is left to wake them: "MainThread" waits to join "consumer" (at src/pipeline.ts:25); "consumer" waits for Event \'ready\' to be set (at src/pipeline.ts:12).',
    );
  });
});

describe('hangs', () => {
  it("stops a spin loop at the run's time limit and names the thread's state and last operation", async () => {
    const problem = firstProblem(await gradeFixture('07-spin-hang'))!;
    expect(problem.status).toBe('fail');
    expect(problem.message).toMatch(/^The run did not finish within its time limit of 1000 ms: "consumer" is running/);
    expect(problem.message).toContain("its last operation was read on SharedInt 'box'");
    expect(problem.details).toContain('All threads were stopped.');
  });
});

describe('busy waiting', () => {
  it("fails a consumer that polls the event, from the thread's own CPU time", async () => {
    const problem = firstProblem(await gradeFixture('11-busy-wait'))!;
    expect(problem.name).toBe('the consumer waits without spinning');
    expect(problem.status).toBe('fail');
    expect(problem.message).toMatch(BUSY_WAITING);
  });

  /** Spinning threads, four per core: the graded threads get a core a fraction of the time. */
  async function besideHogs<T>(body: () => Promise<T>): Promise<T> {
    const hogs = Array.from({ length: 4 * availableParallelism() }, () => new Worker('for (;;) {}', { eval: true }));
    await Promise.all(hogs.map((h) => new Promise((resolve) => h.once('online', resolve))));
    try {
      return await body();
    } finally {
      await Promise.all(hogs.map((h) => h.terminate()));
    }
  }

  it('fails a polling consumer on a machine so busy that it gets a core only part of the time, and passes a blocking one there', async () => {
    const spinning = await besideHogs(() => gradeFixture('11-busy-wait', { only: 'the consumer waits without spinning' }));
    expect(spinning[0]!.status, spinning[0]!.message).toBe('fail');
    expect(spinning[0]!.message).toMatch(BUSY_WAITING);
    const blocking = await besideHogs(() => gradeFixture('06-event-set', { only: 'the consumer waits without spinning' }));
    expect(blocking[0]!.status, blocking[0]!.message).toBe('pass');
  });
});

/** Either way a busy wait is told: by its CPU share, or (on a busy machine) by its time running or ready to run. */
const BUSY_WAITING = /^"consumer" used \d+ ms of CPU time in the \d+ ms it ran \(\d+%; median of 3 runs\), (most of it while it should have been waiting|and it was running or ready to run for \d+% of its time: on this busy machine it got a core only part of the time, but it never blocked): that is busy waiting\./;
