import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';

const INDEX = fileURLToPath(new URL('../src/index.ts', import.meta.url));
const INTERNAL = fileURLToPath(new URL('../src/internal.ts', import.meta.url));
const PROBE = fileURLToPath(new URL('./fixtures/lockdown.ts', import.meta.url));

/** Runs `probe()` on the main thread and in a Thread of a fresh process, locked down or not. */
async function probeIn(locked: boolean): Promise<{ main: string[]; thread: string[] }> {
  const script = `
    import { Thread } from ${JSON.stringify(INDEX)};
    import { lockDown } from ${JSON.stringify(INTERNAL)};
    import { probe } from ${JSON.stringify(PROBE)};
    ${locked ? 'lockDown();' : ''}
    const main = probe();
    let thread;
    const t = new Thread({ target: 'probe', module: ${JSON.stringify(PROBE)} });
    t.start();
    thread = await t.joinAsync().then(() => t.result);
    process.stdout.write(JSON.stringify({ main, thread }));
  `;
  const cwd = fileURLToPath(new URL('..', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd, timeout: 30_000 });
  return JSON.parse(stdout) as { main: string[]; thread: string[] };
}

describe('lockDown()', () => {
  test('refuses processes, signals to other processes and raw workers, on the main thread and in every thread it starts', async () => {
    const refused = ['execFileSync: LockdownError', 'kill parent: LockdownError', 'raw worker: LockdownError', 'kill self: allowed'];
    expect(await probeIn(true)).toEqual({ main: refused, thread: refused });
  });

  test('changes nothing in a process that does not call it', async () => {
    const allowed = ['execFileSync: allowed', 'kill parent: allowed', 'raw worker: allowed', 'kill self: allowed'];
    expect(await probeIn(false)).toEqual({ main: allowed, thread: allowed });
  });
});
