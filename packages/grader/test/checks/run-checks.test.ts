import { describe, expect, it } from 'vitest';
import { liveWorkerCount } from '@threadlings/core';
import './setup.ts';
import { UsageError } from '../../src/cli/errors.ts';
import { defaultSeed } from '../../src/checks/random.ts';
import { fixtureDir, gradeFixture } from './grade-fixture.ts';

const ONE = 'one depositor';

describe('runChecks', () => {
  it("derives a check's seed from the graded files and its name: the same code gets the same seed", async () => {
    const a = await gradeFixture('01-counter-locked', { only: ONE });
    const b = await gradeFixture('01-counter-locked', { only: ONE });
    expect(a[0]!.seed).toBe(b[0]!.seed);
    expect(a[0]!.seed).toBe(defaultSeed(fixtureDir('01-counter-locked'), ['src/bank.ts'], ONE));
    expect(defaultSeed(fixtureDir('01-counter-locked'), ['src/bank.ts'], 'no lost updates')).not.toBe(a[0]!.seed);
    expect(defaultSeed(fixtureDir('02-counter-racy'), ['src/bank.ts'], ONE)).not.toBe(a[0]!.seed);
  });

  it('uses --seed, and names it in the command that runs the check again', async () => {
    const results = await gradeFixture('01-counter-locked', { seed: 123, only: ONE });
    expect(results[0]!.seed).toBe(123);
    expect(results[0]!.reproduce).toBe('pnpm grade 01 --seed 123 --only "one depositor"');
  });

  it('only a check that measures CPU or time awaits beforeTimed (the CLI\'s typecheck), once', async () => {
    let waits = 0;
    const beforeTimed = async (): Promise<void> => {
      waits++;
    };
    const all = await gradeFixture('06-event-set', { beforeTimed });
    expect(all.map((r) => `${r.name}: ${r.status}`)).toEqual([
      'the consumer gets the value: pass',
      'the consumer waits without spinning: pass',
      'the program hands the value over: pass',
    ]);
    expect(waits).toBe(1);
    await gradeFixture('06-event-set', { only: 'the consumer gets the value', beforeTimed });
    expect(waits).toBe(1);
  });

  it('a check that measures starts no thread until beforeTimed resolves', async () => {
    let release: () => void = () => {};
    const typed = new Promise<void>((resolve) => (release = resolve));
    let asked = false;
    const grading = gradeFixture('06-event-set', {
      only: 'the consumer waits without spinning',
      beforeTimed: () => {
        asked = true;
        return typed;
      },
    });
    const workersWhileHeld: number[] = [];
    for (let i = 0; i < 50; i++) {
      await new Promise((r) => setTimeout(r, 2));
      workersWhileHeld.push(liveWorkerCount());
    }
    release();
    const results = await grading;
    expect(asked).toBe(true);
    expect(Math.max(...workersWhileHeld)).toBe(0);
    expect(results[0]!.status).toBe('pass');
  });

  it('runs only the check --only names', async () => {
    const results = await gradeFixture('01-counter-locked', { only: ONE });
    expect(results.map((r) => `${r.name}: ${r.status}`)).toEqual(['one depositor: pass']);
  });

  it('rejects an --only that names no check, listing the checks', async () => {
    await expect(gradeFixture('01-counter-locked', { only: 'nope' })).rejects.toThrow(UsageError);
    await expect(gradeFixture('01-counter-locked', { only: 'nope' })).rejects.toThrow('Its checks: "one depositor", "no lost updates"');
  });

  it('skips the checks after the first that fails', async () => {
    const results = await gradeFixture('05-event-never-set');
    expect(results.map((r) => r.status)).toEqual(['fail', 'skipped', 'skipped']);
    expect(results[1]!.message).toBe('Not run: "the consumer gets the value" failed first.');
  });

  it('reports progress, run by run', async () => {
    const seen: string[] = [];
    await gradeFixture('06-event-set', { onProgress: (p) => seen.push(`${p.check} ${p.done}/${p.total}`) });
    expect(seen).toEqual([
      'the consumer gets the value 0/1',
      'the consumer gets the value 1/1',
      ...[1, 2, 3].map((i) => `the consumer waits without spinning ${i}/3`),
      'the program hands the value over 0/1',
      'the program hands the value over 1/1',
    ]);
  });
});
