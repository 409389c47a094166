import { createRequire } from 'node:module';

/** The version of @threadlings/grader, from its package.json. */
export const GRADER_VERSION = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
