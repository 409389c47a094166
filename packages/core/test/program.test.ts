import { describe, expect, test } from 'vitest';
import { Event, SharedInt, enumerate, mainThread, runProgram } from '../src/index.ts';
import { claimThreadExceptions, fixture, until } from './helpers.ts';

const PROGRAMS = fixture('programs');

describe('runProgram', () => {
  test('runs main() as the main thread and returns what it returned', async () => {
    const { result, error, outcome } = await runProgram(PROGRAMS);
    expect(error).toBeUndefined();
    expect(outcome.kind).toBe('returned');
    expect(result).toBe(42);
  });

  test('in the program, main() runs on MainThread and the supervising thread is not listed', async () => {
    const { result } = await runProgram(PROGRAMS, { export: 'mainIntrospects' });
    expect(result).toEqual({ name: 'MainThread', isMain: true, enumerated: ['MainThread'], activeCount: 1 });
    // Afterwards the supervisor is the main thread again.
    expect(mainThread().ident).toBe(1);
    expect(enumerate().map((t) => t.ident)).toEqual([1]);
  });

  test('waits for the non-daemon threads main() started, and stops the daemon ones', async () => {
    const gate = new Event();
    const finished = new SharedInt(0);
    const returned = new SharedInt(0);
    let finishedWhenDone = -1;
    const program = runProgram(PROGRAMS, { export: 'mainWithThreads', args: [gate, finished, returned] }).then((r) => {
      finishedWhenDone = finished.value;
      return r;
    });
    await until(() => returned.value === 1 && enumerate().every((t) => t.name !== 'MainThread'), 'main() has returned');
    await until(() => enumerate().some((t) => t.name === 'worker' && t.state === 'blocked'), 'the worker waits for the gate');
    expect(enumerate().map((t) => t.name).sort()).toEqual(['background', 'worker']);
    expect(finishedWhenDone).toBe(-1);
    gate.set();
    const { result } = await program;
    expect(result).toBe('main returned');
    // The program ended only after its worker did...
    expect(finishedWhenDone).toBe(1);
    // ...and its daemon thread, still waiting, was stopped.
    expect(enumerate().map((t) => t.name)).toEqual(['MainThread']);
  });

  test('reports what main() raised', async () => {
    const { error, outcome, result } = await runProgram(PROGRAMS, { export: 'failingMain' });
    expect(outcome.kind).toBe('raised');
    expect(error).toMatchObject({ name: 'Error', message: 'main failed' });
    expect(result).toBeUndefined();
    expect(claimThreadExceptions().map((e) => e.name)).toEqual(['MainThread']);
  });

  test('passes args to main(), shared objects as handles to the same memory', async () => {
    const cell = new SharedInt(41);
    const { result, error } = await runProgram(PROGRAMS, { export: 'bump', args: [cell] });
    expect(error).toBeUndefined();
    expect(result).toBe(42);
    expect(cell.value).toBe(42);
  });

  test('returns a shared object main() returned as a working handle', async () => {
    const { result } = await runProgram(PROGRAMS, { export: 'makeCell', args: [7] });
    expect(result).toBeInstanceOf(SharedInt);
    expect((result as SharedInt).value).toBe(7);
  });
});

describe('runProgram: bad input', () => {
  test('an argument that cannot be sent to a thread throws ValueError naming it, and starts nothing', async () => {
    await expect(runProgram(PROGRAMS, { export: 'bump', args: [() => 1] })).rejects.toThrow(/^args\[0\] is a function, and functions cannot be sent to another thread/);
    expect(enumerate().map((t) => t.name)).toEqual(['MainThread']);
    expect(mainThread().ident).toBe(1);
  });

  test('a module whose main() is missing fails the program with an error that says to export it', async () => {
    const { error } = await runProgram(PROGRAMS, { export: 'noMain' });
    expect(error?.message).toMatch(/^target `noMain` is not exported by .*programs\.ts/);
    claimThreadExceptions();
  });
});
