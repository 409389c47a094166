import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as TS from 'typescript';

/*
 * TypeScript is loaded on first use (0.25-0.4 s). The CLI uses it on its typecheck thread
 * (typecheck-thread.ts), which loads it while the grading child boots.
 */
let loaded: typeof TS | undefined;
export function typescript(): typeof TS {
  loaded ??= createRequire(import.meta.url)('typescript') as typeof TS;
  return loaded;
}

/** One TypeScript error in a student's file. */
export interface TypeProblem {
  /** Relative to the source root, like the manifest's `files`. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly code: number;
  readonly message: string;
}

/*
 * Typechecks the student's files with the TypeScript compiler API, under the compiler
 * options of the nearest tsconfig.json (the kit's strict settings). Only the student's
 * files are checked and reported; what they import is read for its types only.
 *
 * Parsing the standard library and @types/node is most of the cost, so parsed source
 * files are kept between calls, keyed by path and text: a long-lived process (watch mode)
 * re-parses only what changed, and the previous program is handed to the next as
 * `oldProgram` so TypeScript can reuse its structure.
 */
/** Declarations of `console` and `performance`, in place of @types/node for a first, lighter check. */
const STUDENT_GLOBALS = fileURLToPath(new URL('../types/student-globals.d.ts', import.meta.url));
/** Cannot find name / module, and "install type definitions for node": what @types/node would have answered. */
const NEEDS_NODE_TYPES = new Set([2304, 2307, 2503, 2552, 2580, 2581, 2582, 2591, 2592, 2593, 2694, 2724, 7016]);

/** Parsed files by path, shared by every Typechecker of the process: a file is re-parsed only when its text changed. */
const sourceFiles = new Map<string, { text: string; file: TS.SourceFile }>();

export class Typechecker {
  private readonly programs = new Map<string, TS.Program>();
  private readonly configs = new Map<string, TS.CompilerOptions>();

  /** The errors in `files` (relative to `sourceRoot`); empty when they compile. */
  check(sourceRoot: string, allFiles: readonly string[]): TypeProblem[] {
    // An exercise's files may include data the student writes (a schedule): only code is type-checked, and
    // an exercise with no code among its files builds no program at all.
    const files = allFiles.filter((f) => /\.[cm]?tsx?$/.test(f));
    if (files.length === 0) return [];
    const options = this.optionsFor(sourceRoot);
    // First without @types/node, with the few globals exercises use; a file that turns out
    // to need Node's types (a name or module they declare) is checked again with them.
    const light = this.checkWith(sourceRoot, files, { ...options, types: [] }, [STUDENT_GLOBALS]);
    if (!light.some((p) => NEEDS_NODE_TYPES.has(p.code))) return light;
    return this.checkWith(sourceRoot, files, options, []);
  }

  private checkWith(sourceRoot: string, files: readonly string[], options: TS.CompilerOptions, extraRoots: readonly string[]): TypeProblem[] {
    const ts = typescript();
    const roots = files.map((f) => join(sourceRoot, f));
    const host = ts.createCompilerHost(options, true);
    const readFile = host.readFile.bind(host);
    host.getSourceFile = (fileName, languageVersion) => {
      const text = readFile(fileName);
      if (text === undefined) return undefined;
      const known = sourceFiles.get(fileName);
      if (known !== undefined && known.text === text) return known.file;
      const file = ts.createSourceFile(fileName, text, languageVersion, true);
      sourceFiles.set(fileName, { text, file });
      return file;
    };
    const key = `${sourceRoot}\0${roots.join('\0')}\0${extraRoots.join('\0')}`;
    const program = ts.createProgram({ rootNames: [...roots, ...extraRoots], options, host, oldProgram: this.programs.get(key) });
    this.programs.set(key, program);
    const problems: TypeProblem[] = [];
    for (const root of roots) {
      const sf = program.getSourceFile(root);
      if (sf === undefined) continue;
      const diagnostics = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
      for (const d of diagnostics) {
        if (d.category !== ts.DiagnosticCategory.Error) continue;
        const at = d.file !== undefined && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : { line: 0, character: 0 };
        problems.push({
          file: relative(sourceRoot, d.file?.fileName ?? root),
          line: at.line + 1,
          column: at.character + 1,
          code: d.code,
          message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
        });
      }
    }
    return problems;
  }

  private optionsFor(sourceRoot: string): TS.CompilerOptions {
    const ts = typescript();
    const configFile = ts.findConfigFile(sourceRoot, (p) => ts.sys.fileExists(p));
    const cacheKey = configFile ?? '';
    const cached = this.configs.get(cacheKey);
    if (cached !== undefined) return cached;
    let options: TS.CompilerOptions = { strict: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, allowImportingTsExtensions: true };
    if (configFile !== undefined) {
      const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
      if (parsed !== undefined) options = parsed.options;
    }
    // Whatever the config says, the grader only reads: no output, no incremental build info.
    options = { ...options, noEmit: true, incremental: false, composite: false };
    this.configs.set(cacheKey, options);
    return options;
  }
}

/** `src/bank.ts:12:5 Type 'string' is not assignable to type 'number'. (TS2322)` */
export function formatTypeProblem(p: TypeProblem): string {
  return `${p.file}:${p.line}:${p.column} ${p.message} (TS${p.code})`;
}
