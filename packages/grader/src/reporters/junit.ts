import { createRequire } from 'node:module';
import type { Builder } from 'junit-report-builder';
import type { CheckResult, Results } from '../results.ts';

/*
 * JUnit XML: one <testsuite> per exercise, one <testcase> per check. JUnit has no
 * "inconclusive": such a check is reported as skipped, with its message in <system-out>,
 * so that CI shows it without failing the build (as the exit code 3 says).
 */

// XML 1.0 forbids most control characters (a student's ANSI colours, for one) even escaped.
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text that XML can carry: invalid characters replaced, and `]]>` broken up with a
 * zero-width space, since the builder splits only the first `]]>` of a CDATA section.
 */
export function xmlSafe(text: string): string {
  return text.replace(INVALID_XML, '\uFFFD').replace(/]]>/g, ']]\u200B>');
}

function body(check: CheckResult): string {
  return xmlSafe(
    [check.message, check.details, check.reproduce === undefined ? undefined : `Reproduce: ${check.reproduce}`, check.exactReplay === false ? 'Free-running failure: a re-run may not fail the same way.' : undefined]
      .filter((p): p is string => p !== undefined && p !== '')
      .join('\n\n'),
  );
}

// A CommonJS package whose typings declare an ES default export: load it as CommonJS.
const junit = createRequire(import.meta.url)('junit-report-builder') as Builder;

/** The results as a JUnit XML document. */
export function formatJUnit(results: Results): string {
  const report = junit.newBuilder().name('threadlings');
  if (results.error !== undefined) {
    // Grading could not start: one errored case, so that CI does not read an empty report as green.
    const tc = report.testSuite().name('threadlings').testCase().className('threadlings').name(`grading could not start (${results.error.kind} error)`);
    tc.error(xmlSafe(results.error.message), results.error.kind);
    if (results.error.file !== undefined) tc.file(xmlSafe(results.error.file));
  }
  for (const ex of results.exercises) {
    const suite = report.testSuite().name(xmlSafe(`${ex.id} ${ex.slug}`)).time(ex.durationMs / 1000);
    for (const check of ex.checks) {
      const tc = suite
        .testCase()
        .className(xmlSafe(`threadlings.${ex.id}-${ex.slug}`))
        .name(xmlSafe(check.name))
        .time(check.durationMs / 1000);
      const file = ex.files[0];
      if (file !== undefined) tc.file(xmlSafe(file));
      if (check.status === 'fail') tc.failure(xmlSafe(check.message), check.kind).stacktrace(body(check));
      else if (check.status === 'error') tc.error(xmlSafe(check.message), check.kind, body(check));
      else if (check.status === 'skipped') tc.skipped();
      else if (check.status === 'inconclusive') tc.skipped().standardOutput(`inconclusive: ${body(check)}`);
      if (check.output !== undefined && check.output !== '') tc.standardError(xmlSafe(check.output));
    }
  }
  return report.build();
}
