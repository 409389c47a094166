import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatTypeProblem, Typechecker } from '../src/typecheck.ts';
import { TypecheckThread } from '../src/typecheck-thread.ts';

const CASE = fileURLToPath(new URL('./fixtures/cli/typecheck/', import.meta.url));

describe('typechecking the student files', () => {
  const checker = new Typechecker();

  it('reports each error with file, line and column relative to the exercise', () => {
    const problems = checker.check(join(CASE, 'exercises', '01-broken'), ['src/bank.ts']);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'src/bank.ts', line: 5, code: 2322 });
    expect(formatTypeProblem(problems[0]!)).toMatch(/^src\/bank\.ts:5:\d+ Type 'string' is not assignable to type 'number'\. \(TS2322\)$/);
  });

  it('finds nothing wrong with code that compiles, under the kit’s strict settings', () => {
    expect(checker.check(join(CASE, 'solutions', '01-broken'), ['src/bank.ts'])).toEqual([]);
  });

  it('passes code that uses console and performance without parsing all of Node\'s types', () => {
    expect(checker.check(join(CASE, 'globals'), ['src/logs.ts'])).toEqual([]);
  });

  it('checks again with Node\'s types a file that needs them, so it is not failed for using them', () => {
    expect(checker.check(join(CASE, 'globals'), ['src/node-api.ts'])).toEqual([]);
  });

  it('still reports a real type error in the lighter check', () => {
    const problems = checker.check(join(CASE, 'globals'), ['src/wrong.ts']);
    expect(problems.map((p) => [p.file, p.line, p.code])).toEqual([['src/wrong.ts', 6, 2322]]);
  });
});

describe('the typecheck thread', () => {
  it('answers the typecheck and the import guard off the main thread, as the Typechecker does', async () => {
    const thread = new TypecheckThread();
    try {
      const [broken, fine, imports] = await Promise.all([
        thread.check(join(CASE, 'exercises', '01-broken'), ['src/bank.ts']),
        thread.check(join(CASE, 'solutions', '01-broken'), ['src/bank.ts']),
        thread.imports(join(CASE, 'exercises', '01-broken'), ['src/bank.ts']),
      ]);
      expect(broken).toEqual(new Typechecker().check(join(CASE, 'exercises', '01-broken'), ['src/bank.ts']));
      expect(broken[0]).toMatchObject({ file: 'src/bank.ts', line: 5, code: 2322 });
      expect(fine).toEqual([]);
      expect(imports).toEqual([]);
    } finally {
      await thread.close();
    }
  });

  it('fails the requests of a thread that is stopped, with why, and answers later ones on a new thread', async () => {
    const thread = new TypecheckThread();
    try {
      const asked = thread.check(join(CASE, 'exercises', '01-broken'), ['src/bank.ts']);
      const closing = thread.close();
      // Asked before the stopped thread's end is heard: it goes to a new thread, and that end is not its own.
      const later = thread.check(join(CASE, 'solutions', '01-broken'), ['src/bank.ts']);
      await closing;
      await expect(asked).rejects.toThrow(/the typecheck thread exited \(code \d+\) before it answered/);
      expect(await later).toEqual([]);
    } finally {
      await thread.close();
    }
  });
});
