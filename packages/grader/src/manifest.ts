import { z } from 'zod';

/**
 * An exercise's manifest, `threadlings.json` at the root of its folder. Validated with
 * zod; a bad manifest is reported with the file and the field at fault.
 */
export const MANIFEST_FILE = 'threadlings.json';

export const Limits = z
  .object({
    /** Wall-clock limit for grading the whole exercise, in milliseconds. */
    timeMs: z.number().int().positive().max(600_000).default(60_000),
    /** Memory limit for the whole grading process (resident set), in MB. */
    memoryMb: z.number().int().positive().max(8192).default(1024),
    /** Most threads one check may start. */
    threads: z.number().int().positive().max(256).default(32),
  })
  .strict();
export type Limits = z.infer<typeof Limits>;

/** A hint tied to the check it helps with. */
export const Hint = z
  .object({
    text: z.string().min(1),
    /** The name of the check (as registered in the checks module) whose failure this hint helps with. */
    check: z.string().min(1),
  })
  .strict();
export type Hint = z.infer<typeof Hint>;

/** A hint's text, whichever form it was written in. */
export function hintText(hint: string | Hint): string {
  return typeof hint === 'string' ? hint : hint.text;
}

export const Manifest = z
  .object({
    id: z.string().regex(/^\d{2}$/, 'two digits, like "07"'),
    order: z.number().int().nonnegative(),
    slug: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lower-case words joined by hyphens'),
    title: z.string().min(1),
    /** The course objective this exercise teaches. */
    objective: z.string().min(1),
    /** Files the student edits, relative to the exercise folder (e.g. "src/bank.ts"). */
    files: z.array(z.string().min(1)).min(1),
    /** The module with the checks, relative to the exercise folder. */
    checks: z.string().min(1).default('checks.ts'),
    /**
     * Progressive hints: the first is gentle, the last nearly gives it away. A hint may name
     * the check it helps with (`{ "check": "no lost updates", "text": "..." }`): after that
     * check fails, `pnpm hint` shows it first.
     */
    hints: z.array(z.union([z.string().min(1), Hint])).min(1),
    /** The module a student runs with `pnpm try`, and its export. */
    program: z.object({ file: z.string().min(1), export: z.string().min(1).default('main') }).strict().optional(),
    /**
     * How long grading the solution typically takes, in milliseconds (`pnpm kit:check` prints
     * it). `--shard k/n` balances the parts of a course by it; 3000 when absent.
     */
    typicalMs: z.number().int().positive().max(600_000).optional(),
    limits: Limits.default({ timeMs: 60_000, memoryMb: 1024, threads: 32 }),
  })
  .strict();
export type Manifest = z.infer<typeof Manifest>;
