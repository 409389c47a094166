/**
 * Outcomes counted as jcstress counts them: every run's outcome has a label (the judge's,
 * e.g. "balance=39817"), equal labels are counted together, and each label is graded
 * ACCEPTABLE or FORBIDDEN. Only a forbidden outcome fails a check.
 */
export interface OutcomeCount {
  readonly label: string;
  readonly acceptable: boolean;
  count: number;
  /** Index of the first run (0-based) that ended this way. */
  readonly firstRun: number;
}

const SHOWN = 8;

export class OutcomeTable {
  private readonly counts = new Map<string, OutcomeCount>();
  runs = 0;
  forbidden = 0;

  add(label: string, acceptable: boolean, run: number): void {
    this.runs++;
    if (!acceptable) this.forbidden++;
    const key = `${acceptable ? 'A' : 'F'}:${label}`;
    const known = this.counts.get(key);
    if (known !== undefined) known.count++;
    else this.counts.set(key, { label, acceptable, count: 1, firstRun: run });
  }

  /** The outcomes, most frequent first within each grade, acceptable first. */
  rows(): OutcomeCount[] {
    return [...this.counts.values()].sort((a, b) => Number(b.acceptable) - Number(a.acceptable) || b.count - a.count);
  }

  /**
   * A jcstress-style table:
   *   ACCEPTABLE  balance=40000    163 runs
   *   FORBIDDEN   balance=39817      1 run   first in run 12
   */
  format(): string {
    const rows = this.rows();
    const width = Math.min(40, Math.max(...rows.map((r) => r.label.length), 7));
    const line = (r: OutcomeCount): string =>
      `  ${(r.acceptable ? 'ACCEPTABLE' : 'FORBIDDEN').padEnd(10)}  ${r.label.slice(0, 40).padEnd(width)}  ${String(r.count).padStart(5)} ${r.count === 1 ? 'run ' : 'runs'}` +
      (r.acceptable ? '' : `   first in run ${r.firstRun + 1}`);
    const shown = rows.slice(0, SHOWN).map(line);
    const rest = rows.slice(SHOWN);
    if (rest.length > 0) {
      const runs = rest.reduce((n, r) => n + r.count, 0);
      shown.push(`  ... and ${rest.length} other outcomes in ${runs} runs`);
    }
    return shown.join('\n');
  }
}
