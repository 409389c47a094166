import { runChecks } from '../checks/run.ts';
import { serveGradingChild } from './serve.ts';

// The grading child's entry: one process per graded exercise, forked by the CLI with tsx loaded.
serveGradingChild(runChecks);
