import module from 'node:module';

/*
 * The `threadlings` CLI's entry. Before anything else loads, Node's on-disk code cache is
 * turned on where Node has it (22.1 and later), for this thread and, through the variable
 * it is named by, for the CLI's typecheck thread, which compiles TypeScript's 9 MB compiler
 * on every run: a grade is about 0.2 s faster from the second run on. Not in CI, whose
 * machines start empty and where the cache would only be written. Grading children never
 * get it (childEnv leaves the variable out): they run a submission's code.
 */
const ci = process.env['CI'] !== undefined && process.env['CI'] !== '' && process.env['CI'] !== 'false';
if (!ci && !process.argv.includes('--ci')) {
  const cache = (module as { enableCompileCache?: () => { directory?: string } }).enableCompileCache?.();
  if (cache?.directory !== undefined) process.env['NODE_COMPILE_CACHE'] = cache.directory;
}

await import('./cli/entry.ts');
