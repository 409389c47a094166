import { cpSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const GRADER = fileURLToPath(new URL('../../', import.meta.url));
export const FIXTURES = join(GRADER, 'test', 'fixtures');

/**
 * A temporary project with copies of fixture folders (`{ 'exercises/01-x': 'hostile/solutions/01-x' }`),
 * where @threadlings/core resolves as in the kit (node_modules links to the grader's).
 * Tests edit the copies freely.
 */
export function tempProject(copies: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'threadlings-test-'));
  symlinkSync(join(GRADER, 'node_modules'), join(root, 'node_modules'), 'dir');
  for (const [to, from] of Object.entries(copies)) cpSync(join(FIXTURES, from), join(root, to), { recursive: true });
  return root;
}
