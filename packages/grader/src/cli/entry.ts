import { CommanderError } from 'commander';
import { ConfigError, EXIT, RefusedError, UsageError, exitCodeFor, type ExitCode } from './errors.ts';
import { processIo } from './io.ts';
import { main } from './main.ts';

/*
 * The `threadlings` CLI and its one catch site: every error that escapes a command
 * is turned into an exit code here. A student's or an exercise's fault (a usage or
 * configuration error) says what to do; anything else is a bug in the kit and says so.
 */

const io = processIo();
let code: ExitCode;
try {
  code = await main(process.argv.slice(2), io);
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander has printed its message (or the help) already.
    code = error.code === 'commander.helpDisplayed' || error.code === 'commander.help' || error.code === 'commander.version' ? EXIT.pass : EXIT.usage;
  } else if (error instanceof RefusedError) {
    io.stderr.write(`${error.message}\n`);
    code = exitCodeFor(error);
  } else if (error instanceof UsageError || error instanceof ConfigError) {
    io.stderr.write(`error: ${error.message}\n`);
    code = exitCodeFor(error);
  } else {
    const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr.write(`internal error: this is a bug in threadlings, not in your code. Please report it with this output.\n${stack}\n`);
    code = EXIT.internal;
  }
}
process.exitCode = code;
