import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, UsageError } from '../src/cli/errors.ts';
import { discoverExercises, findExercise } from '../src/discover.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

describe('discovering exercises', () => {
  it('finds the exercises in order, and none in a folder that does not exist', () => {
    const found = discoverExercises(join(FIXTURES, 'hostile', 'exercises'), FIXTURES);
    expect(found.map((e) => e.folder)).toEqual(['01-abort', '02-allocate', '03-loop', '04-flood', '05-exit', '06-signal']);
    expect(discoverExercises(join(FIXTURES, 'nowhere'), FIXTURES)).toEqual([]);
  });

  it('reports a bad manifest with its file and each field at fault', () => {
    let error: unknown;
    try {
      discoverExercises(join(FIXTURES, 'cli', 'bad-manifest', 'exercises'), FIXTURES);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('cli/bad-manifest/exercises/01-bad/threadlings.json is not a valid exercise manifest');
    expect(message).toMatch(/field "limits\.memoryMb": Too big/);
    expect(message).toContain('cli/bad-manifest/exercises/02-misnamed/threadlings.json');
    expect(message).toContain('fields "id" and "slug": "02" and "other-name" do not match the folder\'s name 02-misnamed');
    expect(message).toContain('field "files[0]": src/missing.ts does not exist');
  });

  it('finds an exercise by number, padded number, folder or slug', () => {
    const found = discoverExercises(join(FIXTURES, 'hostile', 'exercises'), FIXTURES);
    for (const name of ['03', '3', '03-loop', 'loop', 'LOOP']) expect(findExercise(found, name).folder).toBe('03-loop');
  });

  it('answers an unknown exercise with a usage error that lists the exercises', () => {
    const found = discoverExercises(join(FIXTURES, 'hostile', 'exercises'), FIXTURES);
    expect(() => findExercise(found, '42')).toThrow(UsageError);
    expect(() => findExercise(found, 'nope')).toThrow(/There is no exercise "nope": the exercises are 01-abort, 02-allocate/);
  });
});
