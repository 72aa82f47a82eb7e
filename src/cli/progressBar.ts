/**
 * A progress bar per image, drawn only on a terminal (as click's bar in nrfutil);
 * redrawn in place with a carriage return.
 */
export class ProgressBar {
  private done = 0;
  private lastDrawn = -1;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly out: NodeJS.WriteStream = process.stdout,
  ) {}

  get enabled(): boolean {
    return Boolean(this.out.isTTY);
  }

  advance(bytes: number): void {
    this.done = Math.min(this.total, this.done + bytes);
    if (!this.enabled) return;
    const percent = this.total === 0 ? 100 : Math.floor((this.done * 100) / this.total);
    if (percent === this.lastDrawn) return;
    this.lastDrawn = percent;
    const width = 36;
    const filled = Math.round((percent * width) / 100);
    this.out.write(`\r  [${'#'.repeat(filled)}${'-'.repeat(width - filled)}]  ${String(percent).padStart(3)}%  ${this.label}`);
  }

  finish(): void {
    if (this.enabled && this.lastDrawn >= 0) this.out.write('\n');
  }
}
