import { parentPort } from 'node:worker_threads';
import { importProblems } from './grading/import-guard.ts';
import { Typechecker, typescript } from './typecheck.ts';
import type { TypecheckReply, TypecheckRequest } from './typecheck-thread.ts';

/* The typecheck thread's side (typecheck-thread.ts): one request at a time, in order. */

const port = parentPort!;
const checker = new Typechecker();

port.on('message', (req: TypecheckRequest) => {
  let reply: TypecheckReply;
  try {
    const value = req.method === 'imports' ? importProblems(req.sourceRoot, req.files) : checker.check(req.sourceRoot, req.files);
    reply = { id: req.id, ok: true, value };
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e));
    reply = { id: req.id, ok: false, error: { name: error.name, message: error.message, stack: error.stack ?? error.message } };
  }
  port.postMessage(reply);
});

// TypeScript loads as soon as the thread starts, while the first request is being prepared.
typescript();
