/**
 * `pnpm bench` in its quick mode: the rows run end to end and the JSON has the shape
 * other tools read. No figure is judged here; timing belongs to the bench itself.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const run = promisify(execFile);
const CORE = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = fileURLToPath(new URL('../bench/index.ts', import.meta.url));
const CORE_ROWS = ['lock', 'rlock', 'semaphore', 'bounded-semaphore', 'contended-lock', 'event-pingpong', 'condition-handoff'];

const BenchJson = z.strictObject({
  rows: z.array(
    z.strictObject({
      name: z.string(),
      unit: z.string(),
      node: z.number().positive(),
      cpython: z.number().positive().nullable(),
      ratio: z.number().positive().nullable(),
    }),
  ),
});

/** Runs the core's bench entry as `pnpm bench` runs the root one: a process of its own, the supervisor. */
async function bench(...args: string[]): Promise<{ json: z.infer<typeof BenchJson>; stderr: string }> {
  const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', ENTRY, '--quick', '--json', ...args], {
    cwd: CORE,
    timeout: 60_000,
  });
  return { json: BenchJson.parse(JSON.parse(stdout)), stderr };
}

describe('pnpm bench --quick --json', () => {
  it('prints one row per core primitive, with a ratio exactly where there is a CPython figure', async () => {
    const { json } = await bench();
    expect(json.rows.map((r) => r.name)).toEqual(CORE_ROWS);
    for (const row of json.rows) {
      expect(row.ratio === null, `${row.name}: ratio is null exactly when cpython is`).toBe(row.cpython === null);
      if (row.ratio !== null && row.cpython !== null) expect(row.ratio).toBeCloseTo(row.node / row.cpython, 9);
    }
    expect(json.rows.find((r) => r.name === 'lock')?.unit).toBe('ns/op');
    expect(json.rows.find((r) => r.name === 'event-pingpong')?.unit).toBe('µs');
  }, 60_000);

  it('without a Python interpreter prints the Node figures, null CPython figures, and says so on stderr', async () => {
    const { json, stderr } = await bench('--only', 'lock,semaphore', '--python', '/nonexistent/python3');
    expect(json.rows.map((r) => [r.name, r.cpython, r.ratio])).toEqual([
      ['lock', null, null],
      ['semaphore', null, null],
    ]);
    expect(stderr).toContain('/nonexistent/python3 was not found');
  }, 60_000);

  it('rejects an unknown row with exit code 2 and names the known ones', async () => {
    const failure = await bench('--only', 'nope').then(
      () => undefined,
      (e: unknown) => e as { code: number; stderr: string },
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toContain('lock, rlock, semaphore');
  }, 60_000);
});
