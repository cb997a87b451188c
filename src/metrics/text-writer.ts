/** The first chunk's bytes; each next chunk is twice as large, up to MAX_CHUNK. */
const FIRST_CHUNK = 16 * 1024;
const MAX_CHUNK = 1024 * 1024;

/**
 * The exposition text written straight into UTF-8 buffers, line by line: no string of the whole
 * scrape (several MB at 5,000 targets) is ever built, joined, then encoded again.
 */
export class TextWriter {
  private readonly chunks: Buffer[] = [];
  private next = FIRST_CHUNK;
  private buf = Buffer.allocUnsafe(0);
  private at = 0;

  /** Room for `bytes` more bytes in the current chunk, starting a new one when needed. */
  private room(bytes: number): void {
    if (this.at + bytes <= this.buf.length) return;
    this.seal();
    this.buf = Buffer.allocUnsafe(Math.max(this.next, bytes));
    this.next = Math.min(MAX_CHUNK, this.next * 2);
  }

  /** Closes the bytes written so far into a chunk; the rest of the buffer stays for what follows. */
  private seal(): void {
    if (this.at > 0) this.chunks.push(this.buf.subarray(0, this.at));
    this.buf = this.buf.subarray(this.at);
    this.at = 0;
  }

  /**
   * A sample line, `head` `,`? `labels` `} ` `value`: `head` is the family's beginning up to and
   * with its own labels (`name{` or `name_bucket{le="0.1"`), `comma` whether a comma separates
   * those from the row's `labels`.
   */
  sample(head: string, comma: boolean, labels: string, value: string): void {
    // Three bytes per UTF-16 unit at most; the value is ASCII; a comma, `} ` and a newline.
    this.room((head.length + labels.length) * 3 + value.length + 4);
    const b = this.buf;
    let at = this.at + b.write(head, this.at, 'utf8');
    if (comma) b[at++] = 44;
    at += b.write(labels, at, 'utf8');
    b[at++] = 125;
    b[at++] = 32;
    at += b.write(value, at, 'latin1');
    b[at++] = 10;
    this.at = at;
  }

  /** Any text, lines and their newlines included. */
  text(text: string): void {
    this.room(text.length * 3);
    this.at += this.buf.write(text, this.at, 'utf8');
  }

  /** What another writer wrote, after what this one wrote so far (its chunks, not copied). */
  append(other: TextWriter): void {
    this.seal();
    other.seal();
    this.chunks.push(...other.chunks);
  }

  /** Everything written, as one buffer. */
  done(): Buffer {
    this.seal();
    return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
  }
}
