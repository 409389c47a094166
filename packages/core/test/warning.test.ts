import { describe, expect, test } from 'vitest';
import { runProgram } from '../src/index.ts';
import { fixture, startThread } from './helpers.ts';

const PER_THREAD = fixture('per-thread-primitive');

interface SeenWarning {
  readonly name: string;
  readonly code: string | undefined;
  readonly message: string;
}

describe('a primitive created at a module\'s top level during a thread\'s import', () => {
  test('emits the THREADLINGS_PER_THREAD_PRIMITIVE warning in that thread, naming the thread and saying what to do', async () => {
    const t = startThread(PER_THREAD, 'importWarnings', [], { name: 'importer' });
    await t.joinAsync();
    expect(t.error).toBeUndefined();
    const ours = (t.result as SeenWarning[]).filter((w) => w.code === 'THREADLINGS_PER_THREAD_PRIMITIVE');
    expect(ours).toHaveLength(1);
    expect(ours[0]!.message).toMatch(/^a Lock was created at the top level of a module \(.*per-thread-primitive\.ts:\d+:\d+\)+ while thread 'importer' imported it\./);
    expect(ours[0]!.message).toContain('each thread gets its own Lock and nothing is shared');
    expect(ours[0]!.message).toContain('pass it to the threads as an argument');
  });

  test('warns in every thread that imports the module: each gets its own primitive', async () => {
    const threads = ['first', 'second'].map((name) => startThread(PER_THREAD, 'importWarnings', [], { name }));
    for (const t of threads) await t.joinAsync();
    for (const t of threads) {
      const ours = (t.result as SeenWarning[]).filter((w) => w.code === 'THREADLINGS_PER_THREAD_PRIMITIVE');
      expect(ours.map((w) => w.message)).toEqual([expect.stringContaining(`while thread '${t.name}' imported it`)]);
    }
  });

  test('does not warn when the module is a program\'s main module', async () => {
    const { result, error } = await runProgram(PER_THREAD);
    expect(error).toBeUndefined();
    expect((result as SeenWarning[]).filter((w) => w.code === 'THREADLINGS_PER_THREAD_PRIMITIVE')).toEqual([]);
  });
});
