#!/usr/bin/env node
// The package's bin: loads tsx's hooks, then the CLI written in TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('../src/bin.ts');
