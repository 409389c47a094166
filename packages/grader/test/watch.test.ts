import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveCli } from './support/live-cli.ts';
import { tempProject } from './support/temp-exercises.ts';

/*
 * Watch mode end to end, without a terminal: keys arrive as lines on stdin. Every step
 * waits for the output it needs; nothing waits for time to pass.
 */

const live: LiveCli[] = [];
afterEach((ctx) => {
  for (const cli of live.splice(0)) {
    // A failure shows what the CLI printed.
    if (ctx.task.result?.state === 'fail') console.log(`watch printed:\n${cli.text}`);
    cli.kill();
  }
});

function project(): { root: string; count: string } {
  const root = tempProject({ 'exercises/01-count': 'cli/watch/exercises/01-count', 'exercises/02-next': 'cli/watch/exercises/02-next' });
  return { root, count: join(root, 'exercises/01-count/src/count.ts') };
}

function start(args: string[], root: string): LiveCli {
  const cli = new LiveCli(['watch', ...args, '--exercises', 'exercises', '--store', 'store'], root);
  live.push(cli);
  return cli;
}

describe('watch mode', () => {
  it('re-grades on save, gives hints, and moves on to the next exercise when one passes', async () => {
    const { root, count } = project();
    const cli = start([], root);
    await cli.waitFor(/✗ 01 count[^]*saw 2000[^]*Watching exercises\/01-count\/src\/count\.ts — save to re-grade/);

    writeFileSync(count, readFileSync(count, 'utf8').replace('+= 2', '+= 3'));
    await cli.waitFor(/✗ 01 count[^]*saw 3000[^]*\(verdict [\d.]+ s after the save\)[^]*Watching/);

    cli.type('h');
    await cli.waitFor(/Hint 1 of 2 for 01 count:\n {2}Add one each time, not two\./);
    cli.type('l');
    await cli.waitFor(/✗ 01 count .*← next\n· 02 next/);

    writeFileSync(count, readFileSync(count, 'utf8').replace('+= 3', '+= 1'));
    await cli.waitFor(/✓ 01 count[^]*On to 02 next[^]*✗ 02 next[^]*Watching exercises\/02-next\/src\/next\.ts/);

    cli.type('q');
    expect(await cli.exited).toBe(0);
  });

  it('grades the exercise named, and re-runs on r without watching files (--manual)', async () => {
    const { root } = project();
    const cli = start(['02', '--manual'], root);
    await cli.waitFor(/✗ 02 next[^]*press r to re-grade/);
    cli.type('r');
    await cli.waitFor(/✗ 02 next[^]*press r to re-grade/);
    cli.type('q');
    expect(await cli.exited).toBe(0);
  });

  it('says so, and ends, when every exercise passes', async () => {
    const { root, count } = project();
    writeFileSync(count, readFileSync(count, 'utf8').replace('+= 2', '+= 1'));
    const next = join(root, 'exercises/02-next/src/next.ts');
    writeFileSync(next, readFileSync(next, 'utf8').replace('return 0', 'return 2'));
    const cli = start([], root);
    await cli.waitFor(/✓ 01 count[^]*✓ 02 next[^]*Every exercise passes/);
    expect(await cli.exited).toBe(0);
  });
});
