import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/*
 * The workflows the kit ships: its own CI, and the one a course repository grades pull
 * requests with. Each is validated against GitHub's workflow schema (action-validator),
 * then held to what the course's safety rests on.
 */
const { validateWorkflow } = createRequire(import.meta.url)('@action-validator/core') as {
  validateWorkflow(src: string): { errors: { path: string; title: string; detail?: string }[] };
};

const WORKFLOWS = fileURLToPath(new URL('../../../.github/workflows/', import.meta.url));
const read = (name: string) => readFileSync(`${WORKFLOWS}${name}`, 'utf8');

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  strategy?: { matrix?: Record<string, unknown[]> };
  steps: Step[];
  if?: string;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

describe.each(['ci.yml', 'grade.yml'])('%s', (name) => {
  it('is a valid GitHub Actions workflow', () => {
    const { errors } = validateWorkflow(read(name));
    expect(errors.map((e) => `${e.path}: ${e.title}${e.detail === undefined ? '' : ` (${e.detail})`}`)).toEqual([]);
  });

  it('reads the repository and nothing more, and uses no secret', () => {
    const wf = parse(read(name)) as Workflow;
    expect(wf.permissions).toEqual({ contents: 'read' });
    expect(read(name)).not.toMatch(/secrets\./);
    for (const job of Object.values(wf.jobs)) {
      for (const step of job.steps.filter((s) => s.uses?.startsWith('actions/checkout') === true)) expect(step.with?.['persist-credentials']).toBe(false);
    }
  });
});

describe('the validator', () => {
  it('rejects a broken workflow', () => {
    const broken = read('grade.yml').replace('runs-on: ubuntu-latest', 'runs-on: ubuntu-latest\n    steeps: []');
    expect(validateWorkflow(broken).errors.length).toBeGreaterThan(0);
  });
});

describe('ci.yml', () => {
  it('runs the README test command on Node 20, 22 and 24', () => {
    const wf = parse(read('ci.yml')) as Workflow;
    expect(wf.jobs['test']?.strategy?.matrix?.['node']).toEqual([20, 22, 24]);
    expect(wf.jobs['test']?.steps.map((s) => s.run)).toContain('pnpm test');
  });
});

describe('grade.yml', () => {
  const wf = parse(read('grade.yml')) as Workflow;
  const runs = (job: string) => (wf.jobs[job]?.steps ?? []).map((s) => s.run ?? '').join('\n');

  it('runs on pull_request, never pull_request_target (which would run the code with write access)', () => {
    expect(Object.keys(wf.on)).toEqual(['pull_request']);
  });

  it("refuses changes outside the students' files with the base's grader, before installing the pull request", () => {
    const guard = wf.jobs['guard']!;
    const text = runs('guard');
    expect(text).toMatch(/git worktree add "\$RUNNER_TEMP\/base" "origin\/\$BASE_REF"/);
    expect(text).toMatch(/cd "\$RUNNER_TEMP\/base"\nnode --import tsx packages\/grader\/src\/bin\.ts check-changes/);
    // The pull request's own files are never installed in this job.
    expect(text.split('\n').filter((l) => /pnpm install/.test(l))).toEqual(['cd "$RUNNER_TEMP/base" && pnpm install --frozen-lockfile']);
    expect(guard.steps[0]?.with?.['fetch-depth']).toBe(0);
  });

  it('grades on a matrix whose size is the n of --shard k/n, with --base and the GitHub reporter, after the guard', () => {
    const grade = wf.jobs['grade']!;
    expect(grade.needs).toBe('guard');
    const shards = grade.strategy?.matrix?.['shard'] ?? [];
    expect(shards).toEqual(Array.from({ length: shards.length }, (_, i) => i + 1));
    const text = runs('grade');
    expect(text).toContain(`--shard "$SHARD/${shards.length}"`);
    expect(text).toMatch(/pnpm grade --ci --base "origin\/\$BASE_REF"/);
    expect(text).toContain('--reporter github');
    expect(grade.steps.some((s) => s.uses?.startsWith('actions/upload-artifact') === true)).toBe(true);
  });

  it('merges every part into one JSON and one JUnit report, and writes the job summary', () => {
    const shards = wf.jobs['grade']!.strategy?.matrix?.['shard'] ?? [];
    const text = runs('report');
    expect(text).toContain(`pnpm merge-reports ${shards.map((k) => `reports/part-${String(k)}.json`).join(' ')}`);
    expect(text).toContain('--json results.json --junit results.xml --summary "$GITHUB_STEP_SUMMARY"');
    expect(wf.jobs['report']?.if).toContain("needs.guard.result == 'success'");
  });
});
