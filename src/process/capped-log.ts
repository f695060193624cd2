import { createWriteStream, type WriteStream } from "node:fs";
import { StringDecoder } from "node:string_decoder";

/**
 * Writes a process's output to a log file up to `maxBytes`, then records one truncation line
 * and drops the rest. It also keeps the last `tailBytes` of one stream in memory for parsing.
 */
export class CappedLog {
  private readonly file: WriteStream | undefined;
  private written = 0;
  private tail = "";
  /** Keeps a character split across two chunks whole. */
  private readonly decoder = new StringDecoder("utf8");
  truncated = false;

  constructor(
    path: string | undefined,
    private readonly maxBytes: number,
    private readonly tailBytes: number,
  ) {
    this.file = path ? createWriteStream(path, { flags: "a" }) : undefined;
  }

  write(chunk: Buffer, keepTail: boolean): void {
    if (keepTail) {
      this.tail += this.decoder.write(chunk);
      if (this.tail.length > this.tailBytes * 2) this.tail = this.tail.slice(-this.tailBytes);
    }
    if (!this.file || this.truncated) return;
    const room = this.maxBytes - this.written;
    if (chunk.length <= room) {
      this.file.write(chunk);
      this.written += chunk.length;
      return;
    }
    if (room > 0) this.file.write(chunk.subarray(0, room));
    this.written = this.maxBytes;
    this.truncated = true;
    this.file.write(`\n[agent-race: output truncated at ${this.maxBytes} bytes]\n`);
  }

  note(line: string): void {
    this.file?.write(`${line}\n`);
  }

  tailText(): string {
    this.tail += this.decoder.end();
    return this.tail.slice(-this.tailBytes);
  }

  async close(): Promise<void> {
    const file = this.file;
    if (!file) return;
    await new Promise<void>((resolve) => file.end(resolve));
  }
}
