import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type * as TS from 'typescript';
import { typescript } from '../typecheck.ts';

/*
 * What a student's files may import, checked in their source before any of it runs: the
 * core's public API, their exercise's own src/, and Node's modules except those that reach
 * around the grader (processes, the module loader, raw workers, vm, the inspector). The
 * core's internals, the grader, solutions and checks are off limits, and so is an import
 * or require whose module is computed at run time, since it could be any of them.
 */

export interface ImportProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

const KIT_PACKAGES = new Set(['@threadlings/core']);
const FORBIDDEN_BUILTINS = new Set(['child_process', 'cluster', 'inspector', 'module', 'vm', 'worker_threads', 'v8', 'wasi', 'repl', 'trace_events']);
const BUILTINS = new Set(builtinModules);
/** Properties of `process` that load native code or reach Node's internals. */
const FORBIDDEN_PROCESS = new Set(['binding', '_linkedBinding', 'dlopen', 'ppid']);

/** Why `specifier`, imported by `file`, is refused; undefined when it is allowed. */
function refuse(specifier: string, file: string, sourceRoot: string): string | undefined {
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  if (BUILTINS.has(bare) || BUILTINS.has(bare.split('/')[0]!)) {
    const top = bare.split('/')[0]!;
    return FORBIDDEN_BUILTINS.has(top) ? `"${specifier}" reaches around the grader (processes, the module loader, workers or vm): use the core's Thread and primitives` : undefined;
  }
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    const target = resolve(dirname(file), specifier);
    const src = join(sourceRoot, 'src') + sep;
    if (target.startsWith(src)) return undefined;
    return `"${specifier}" is outside the exercise's src/ (${relative(sourceRoot, target) || '.'}): import only from your exercise's own files`;
  }
  if (KIT_PACKAGES.has(specifier)) return undefined;
  if (specifier.startsWith('@threadlings/')) return `"${specifier}" is the kit's own machinery: import from "@threadlings/core" only`;
  return `"${specifier}" is not part of the kit: an exercise uses "@threadlings/core" and Node's modules only`;
}

/** The import problems of the student's `files` (relative to `sourceRoot`), in file order. */
export function importProblems(sourceRoot: string, files: readonly string[]): ImportProblem[] {
  const ts = typescript();
  const problems: ImportProblem[] = [];
  for (const rel of files.filter((f) => /\.[cm]?tsx?$/.test(f))) {
    const file = join(sourceRoot, rel);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const report = (node: TS.Node, message: string): void => {
      problems.push({ file: rel, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, message });
    };
    const visit = (node: TS.Node): void => {
      if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier)) {
        const why = refuse(node.moduleSpecifier.text, file, sourceRoot);
        if (why !== undefined) report(node, why);
      } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
        const why = refuse(node.moduleReference.expression.text, file, sourceRoot);
        if (why !== undefined) report(node, why);
      } else if (ts.isCallExpression(node)) {
        const callee = node.expression;
        const dynamic = callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require');
        if (dynamic) {
          const arg = node.arguments[0];
          if (arg !== undefined && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg))) {
            const why = refuse(arg.text, file, sourceRoot);
            if (why !== undefined) report(node, why);
          } else {
            report(node, `${callee.kind === ts.SyntaxKind.ImportKeyword ? 'import()' : 'require()'} of a module computed at run time: name the module in a string`);
          }
        }
      } else if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
        const owner = node.expression.text;
        const name = node.name.text;
        if (owner === 'process' && FORBIDDEN_PROCESS.has(name)) report(node, `process.${name} reaches around the grader`);
        if (owner === 'module' && (name === 'require' || name === 'constructor')) report(node, `module.${name} loads modules around the checks on imports`);
      } else if (ts.isIdentifier(node) && (node.text === 'createRequire' || node.text === '__non_webpack_require__')) {
        report(node, `${node.text} loads modules around the checks on imports`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return problems;
}
