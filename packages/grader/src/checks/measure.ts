/** Medians and ratios for timing checks: every figure is a median of interleaved repetitions. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** "1.86×" */
export function times(x: number): string {
  return `${x.toFixed(2)}×`;
}

/** "803 ms" */
export function ms(x: number): string {
  return `${Math.round(x)} ms`;
}
