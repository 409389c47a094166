import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const GRADER = fileURLToPath(new URL('../../', import.meta.url));
export const FIXTURES = join(GRADER, 'test', 'fixtures');

/**
 * A temporary project with copies of fixture folders (`{ 'exercises/01-x': 'hostile/solutions/01-x' }`),
 * where `@threadlings/core` and `@threadlings/grader` resolve as they do in the kit.
 * Tests edit the copies freely.
 */
export function tempProject(copies: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'threadlings-test-'));
  // ES modules, as in the kit: loaded as CommonJS, the checks would get a second copy of the grader.
  writeFileSync(join(root, 'package.json'), '{ "private": true, "type": "module" }\n');
  mkdirSync(join(root, 'node_modules', '@threadlings'), { recursive: true });
  symlinkSync(join(GRADER, '..', 'core'), join(root, 'node_modules', '@threadlings', 'core'), 'dir');
  symlinkSync(GRADER, join(root, 'node_modules', '@threadlings', 'grader'), 'dir');
  symlinkSync(join(GRADER, 'node_modules', '@types'), join(root, 'node_modules', '@types'), 'dir');
  for (const [to, from] of Object.entries(copies)) cpSync(join(FIXTURES, from), join(root, to), { recursive: true });
  return root;
}
