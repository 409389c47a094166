import { runProgram } from '@threadlings/core';
import { inspect } from 'node:util';
import { studentStack } from '../checks/sites.ts';

/*
 * `pnpm try`: runs a student's program as its own process, the way they would run it,
 * with the core's runProgram (main() on a thread where blocking calls work). Its output
 * goes straight to the terminal. Arguments: the module's path and the export to run.
 */

const [module, exportName] = process.argv.slice(2);
if (module === undefined || exportName === undefined) throw new Error('program-child: expected the module and the export');
const { outcome, result, error } = await runProgram(module, { export: exportName });
if (error !== undefined) {
  process.stderr.write(`\n${exportName}() ${outcome.kind === 'crashed' ? 'crashed' : 'raised an error'}:\n${error.stack ? studentStack(error.stack, process.cwd()) : `${error.name}: ${error.message}`}\n`);
  process.exit(1);
}
if (result !== undefined) process.stdout.write(`\n${exportName}() returned ${inspect(result, { depth: 4 })}\n`);
process.exit(0);
