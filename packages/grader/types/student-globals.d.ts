/*
 * The few globals that exercise code uses, declared for the grader's typecheck of a
 * student's files: with them it need not parse all of @types/node (about half of a cold
 * typecheck). A file that needs more of Node's types is checked again with them.
 */
interface StudentConsole {
  log(...data: unknown[]): void;
  error(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  info(...data: unknown[]): void;
  debug(...data: unknown[]): void;
  table(data: unknown, columns?: readonly string[]): void;
}
declare var console: StudentConsole;
declare var performance: { now(): number };
