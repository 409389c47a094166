import module from 'node:module';

/*
 * The `threadlings` CLI's entry. Before anything else loads, Node's on-disk code cache is
 * turned on where Node has it (22.1 and later): the CLI compiles TypeScript's 9 MB
 * compiler on every run, and the cache makes a grade about 0.2 s faster from the second
 * run on. Not in CI, whose machines start empty and where the cache would only be
 * written. Grading children never get it: they run a submission's code.
 */
const ci = process.env['CI'] !== undefined && process.env['CI'] !== '' && process.env['CI'] !== 'false';
if (!ci && !process.argv.includes('--ci')) (module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

// A grade typechecks: the typecheck thread starts now and loads TypeScript (0.3-0.4 s)
// while the CLI's own modules load, rather than after them.
if (process.argv[2] === 'grade' || process.argv[2] === 'watch') {
  const { typecheckThread } = await import('./typecheck-thread.ts');
  typecheckThread().warm();
}

await import('./cli/entry.ts');
