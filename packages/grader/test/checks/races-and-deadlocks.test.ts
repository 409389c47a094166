import { describe, expect, it } from 'vitest';
import './setup.ts';
import { firstProblem, gradeFixture, statuses } from './grade-fixture.ts';

describe('stress: lost updates', () => {
  it('passes deposits made under a lock', async () => {
    const results = await gradeFixture('01-counter-locked');
    expect(statuses(results)).toEqual({ 'one depositor': 'pass', 'no lost updates': 'pass' });
    expect(results[1]!.runs).toBe(200);
    expect(results[1]!.details).toContain('ACCEPTABLE  balance=10000');
  });

  it('fails deposits without a lock, counting the runs that lost updates, and says how to run it again', async () => {
    const results = await gradeFixture('02-counter-racy');
    const stress = firstProblem(results)!;
    expect(stress.name).toBe('no lost updates');
    expect(stress.status).toBe('fail');
    expect(stress.message).toMatch(/^Lost updates in \d+ of 200 runs \(expected 10000, saw \d+ in run \d+\)$/);
    expect(stress.failures).toBeGreaterThan(0);
    expect(stress.exactReplay).toBe(false);
    expect(stress.reproduce).toBe(`pnpm grade 02 --seed ${stress.seed} --only "no lost updates"`);
    expect(stress.details).toMatch(/FORBIDDEN\s+balance=\d+/);
    expect(stress.details).toContain('may not reproduce exactly');
  });
});

describe('stress: deadlocks', () => {
  it('reports a lock-order inversion JVM-style, with the line where each thread waits', async () => {
    const results = await gradeFixture('03-transfer-deadlock');
    const stress = firstProblem(results)!;
    expect(stress.status).toBe('fail');
    expect(stress.message).toMatch(
      /^Found a deadlock: "(A→B|B→A)" waits to acquire Lock 'account [01]' \(at src\/bank\.ts:7\), held by "(A→B|B→A)"; "(A→B|B→A)" waits to acquire Lock 'account [01]' \(at src\/bank\.ts:7\), held by "(A→B|B→A)"\. Seen in run \d+ of 200/,
    );
    expect(stress.location).toEqual({ file: 'src/bank.ts', line: 7 });
    expect(stress.figures?.find((f) => f.name === 'deadlock detection latency')).toBeDefined();
  });

  it('passes transfers that take the locks in one order', async () => {
    const results = await gradeFixture('04-transfer-ordered');
    expect(statuses(results)).toEqual({ 'transfers both ways finish': 'pass' });
  });

  it('passes transfers that wait for the second lock with a timeout and back off: a timed wait is never a deadlock', async () => {
    const results = await gradeFixture('17-transfer-backoff');
    expect(statuses(results)).toEqual({ 'transfers both ways finish': 'pass' });
  });
});
