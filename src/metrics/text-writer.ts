/** Bytes per chunk: large enough that a 5,000-target scrape is a dozen chunks, small enough to waste little. */
const CHUNK = 512 * 1024;

/**
 * The exposition text written straight into UTF-8 buffers, line by line: no string of the whole
 * scrape (several MB at 5,000 targets) is ever built, joined, then encoded again. A line is the
 * family's cached beginning (`name{labels} `) and the value; numbers are ASCII.
 */
export class TextWriter {
  private readonly chunks: Buffer[] = [];
  private buf = Buffer.allocUnsafe(CHUNK);
  private at = 0;

  /** Room for `bytes` more bytes in the current chunk, starting a new one when needed. */
  private room(bytes: number): void {
    if (this.at + bytes <= this.buf.length) return;
    this.chunks.push(this.buf.subarray(0, this.at));
    this.buf = Buffer.allocUnsafe(Math.max(CHUNK, bytes));
    this.at = 0;
  }

  /** A sample line: `start` ends with the space before the value. */
  sample(start: string, value: string): void {
    // Three bytes per UTF-16 unit at most, the value is ASCII, one newline.
    this.room(start.length * 3 + value.length + 1);
    this.at += this.buf.write(start, this.at, 'utf8');
    this.at += this.buf.write(value, this.at, 'latin1');
    this.buf[this.at++] = 10;
  }

  /** Any text, lines and their newlines included. */
  text(text: string): void {
    this.room(text.length * 3);
    this.at += this.buf.write(text, this.at, 'utf8');
  }

  /** Everything written, as one buffer. */
  done(): Buffer {
    this.chunks.push(this.buf.subarray(0, this.at));
    return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
  }
}
