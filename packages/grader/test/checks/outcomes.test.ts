import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutcomeTable } from '../../src/checks/outcomes.ts';
import { parseCpuMs } from '../../src/checks/cpu-time.ts';
import { formatSite, firstLocationIn, studentStack } from '../../src/checks/sites.ts';

describe('the outcome table', () => {
  it('counts equal outcomes together, acceptable first, and names the first run of each forbidden one', () => {
    const table = new OutcomeTable();
    table.add('balance=10000', true, 0);
    table.add('balance=9999', false, 1);
    table.add('balance=10000', true, 2);
    table.add('balance=9999', false, 3);
    expect(table.forbidden).toBe(2);
    expect(table.format().split('\n')).toEqual([
      '  ACCEPTABLE  balance=10000      2 runs',
      '  FORBIDDEN   balance=9999       2 runs   first in run 2',
    ]);
  });

  it('summarises the outcomes past the eighth', () => {
    const table = new OutcomeTable();
    for (let i = 0; i < 12; i++) table.add(`x=${i}`, false, i);
    expect(table.format()).toContain('... and 4 other outcomes in 4 runs');
  });
});

describe('sites and CPU time', () => {
  it('shows a wait site relative to the graded files', () => {
    expect(formatSite('transfer (/ex/07/src/bank.ts:12:5)', '/ex/07')).toBe('src/bank.ts:12');
    expect(formatSite('/elsewhere/x.ts:3:1', '/ex/07')).toBe('/elsewhere/x.ts:3');
  });

  it("finds the first frame of a stack in the student's files", () => {
    const stack = 'Error: x\n    at f (/kit/core/lock.ts:1:1)\n    at g (/ex/07/src/bank.ts:9:30)\n    at h (/ex/07/src/bank.ts:3:1)';
    expect(firstLocationIn(stack, '/ex/07')).toEqual({ file: 'src/bank.ts', line: 9 });
  });

  it("keeps a stack's own frames and leaves out those of the kit and of Node", () => {
    const kit = new URL('../../src/checks/probe-thread.ts', import.meta.url).pathname;
    const core = join(dirname(createRequire(import.meta.url).resolve('@threadlings/core')), 'lock.ts');
    const stack = `Error: x\n    at g (/ex/07/src/bank.ts:9:30)\n    at Lock.acquire (${core}:40:7)\n    at Module._compile (node:internal/modules/cjs/loader:1521:14)\n    at t (/p/node_modules/tsx/dist/r.cjs:22:2)\n    at runProbedThread (${kit}:26:5)\n    at h (/elsewhere/lib.ts:3:1)`;
    expect(studentStack(stack, '/ex/07')).toBe('Error: x\n    at g (src/bank.ts:9:30)\n    at h (/elsewhere/lib.ts:3:1)');
    // With no frame of the student's, the kit's frames are all there is to say: kept.
    const kitOnly = `Error: y\n    at runProbedThread (${kit}:26:5)`;
    expect(studentStack(kitOnly, '/ex/07')).toBe(kitOnly);
  });

  it("reads a thread's user and system time from /proc, whatever its name holds", () => {
    const stat = '1234 (Worker (x) 1) S 1 1 1 0 -1 4194560 100 0 0 0 25 7 0 0 20 0 12 0 100 1000 100';
    expect(parseCpuMs(stat)).toBe(320);
  });
});
