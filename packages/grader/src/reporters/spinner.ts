import type { Output } from '../cli/io.ts';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * A one-line live status (spinner, text) redrawn in place while long checks run. Only on
 * a terminal: elsewhere it writes nothing, so logs and pipes stay clean.
 */
export class Spinner {
  private text = '';
  private frame = 0;
  private timer: NodeJS.Timeout | undefined;
  private shown = false;

  constructor(private readonly out: Output) {}

  update(text: string): void {
    if (!this.out.isTTY) return;
    this.text = text;
    this.timer ??= setInterval(() => this.draw(), 80);
    this.draw();
  }

  private draw(): void {
    const columns = process.stdout.columns ?? 80;
    const line = `${FRAMES[this.frame++ % FRAMES.length]} ${this.text}`.slice(0, Math.max(10, columns - 1));
    this.out.write(`\r\u001b[2K${line}`);
    this.shown = true;
  }

  /** Erases the line; call before printing anything else. */
  clear(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    if (this.shown) this.out.write('\r\u001b[2K');
    this.shown = false;
  }
}
