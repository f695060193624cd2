/**
 * Cuts a process's output stream into lines for a callback while it runs. A line longer than
 * `maxLine` bytes is dropped rather than buffered, so a flood without newlines costs no memory.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  private overflow = false;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLine = 1024 * 1024,
  ) {}

  write(chunk: Buffer): void {
    let start = 0;
    for (let newline = chunk.indexOf(10); newline >= 0; newline = chunk.indexOf(10, start)) {
      this.keep(chunk.subarray(start, newline));
      this.flush();
      start = newline + 1;
    }
    this.keep(chunk.subarray(start));
  }

  /** Hands over the last line when the output did not end with a newline. */
  end(): void {
    if (this.size > 0 || this.overflow) this.flush();
  }

  private keep(part: Buffer): void {
    if (part.length === 0 || this.overflow) return;
    if (this.size + part.length > this.maxLine) {
      this.overflow = true;
      this.parts = [];
      this.size = 0;
      return;
    }
    this.parts.push(part);
    this.size += part.length;
  }

  private flush(): void {
    const line = this.overflow ? null : Buffer.concat(this.parts, this.size).toString("utf8");
    this.parts = [];
    this.size = 0;
    this.overflow = false;
    if (line !== null) this.onLine(line);
  }
}
