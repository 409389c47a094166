/**
 * Keeps the first `keepBytes` of a child's output (stdout and stderr interleaved in the
 * order they arrived) and counts the rest, so a submission that prints in an endless loop
 * costs the grader a counter, not its memory.
 */
export class OutputCap {
  private readonly kept: Buffer[] = [];
  private keptBytes = 0;
  /** Every byte seen, kept or not. */
  total = 0;

  constructor(readonly keepBytes: number) {}

  add(chunk: Buffer): void {
    this.total += chunk.length;
    const room = this.keepBytes - this.keptBytes;
    if (room <= 0) return;
    const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
    this.kept.push(part);
    this.keptBytes += part.length;
  }

  /** Bytes seen but not kept. */
  get cut(): number {
    return this.total - this.keptBytes;
  }

  /** The kept output, with a last line saying how much was cut. Empty when nothing was printed. */
  text(): string {
    const kept = visibleControls(Buffer.concat(this.kept).toString('utf8'));
    return this.cut === 0 ? kept : `${kept}${kept.endsWith('\n') ? '' : '\n'}[… ${formatBytes(this.cut)} more output cut]`;
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * Text a submission produced, with its control characters made visible (`\x1b` for ESC,
 * `\r` for a carriage return): shown raw, they would clear the student's screen, set the
 * terminal's title, or draw fake lines over the grader's report. Newlines and tabs stay.
 * @example `visibleControls('\x1b[2Jdone')` → `'\\x1b[2Jdone'`
 */
export function visibleControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, (ch) => (ch === '\r' ? '\\r' : `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`));
}
