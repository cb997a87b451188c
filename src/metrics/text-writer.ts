/** Bytes per block: a 5,000-target scrape (about 3.3 MB) is some fifty of them. */
const BLOCK = 64 * 1024;
/** Blocks kept between scrapes at most (8 MB). */
const MAX_POOLED = 128;

/**
 * Blocks reused from one scrape to the next: a scrape's text is sent (or compressed) straight from
 * its blocks, which come back once the response is done. Without it every scrape left several MB of
 * buffers to the garbage collector; those outlive a scavenge or two while the scrape runs, so only a
 * full GC frees them, and the agent's RSS rose by some 3 MB a scrape until one ran. Copying the text
 * into one buffer at the end did the same: ten scrapes took arrayBuffers from 5 to 33 MB.
 */
export class BlockPool {
  private readonly free: Buffer[] = [];

  take(bytes: number): Buffer {
    return (bytes <= BLOCK && this.free.pop()) || Buffer.allocUnsafe(Math.max(BLOCK, bytes));
  }

  release(blocks: readonly Buffer[]): void {
    for (const b of blocks) if (b.length === BLOCK && this.free.length < MAX_POOLED) this.free.push(b);
  }
}

/**
 * The exposition text written straight into UTF-8 buffers, line by line: no string of the whole
 * scrape (several MB at 5,000 targets) is ever built, joined, then encoded again.
 */
export class TextWriter {
  /** The written parts of the blocks, in order. */
  private readonly chunks: Buffer[] = [];
  /** The whole blocks taken from the pool, to give back. */
  private readonly blocks: Buffer[] = [];
  private buf: Buffer = Buffer.allocUnsafe(0);
  private at = 0;

  constructor(private readonly pool: BlockPool) {}

  /** Room for `bytes` more bytes in the current block, taking a new one when needed. */
  private room(bytes: number): void {
    if (this.at + bytes <= this.buf.length) return;
    this.seal();
    this.buf = this.pool.take(bytes);
    this.blocks.push(this.buf);
  }

  /** Closes the bytes written so far into a chunk; the rest of the block stays for what follows. */
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

  /** What another writer wrote, after what this one wrote so far (its chunks, not copied; its blocks become this one's). */
  append(other: TextWriter): void {
    this.seal();
    other.seal();
    this.chunks.push(...other.chunks);
    this.blocks.push(...other.blocks);
  }

  /**
   * Everything written, as the blocks' written parts (not copied): they stay valid until release(),
   * which gives the blocks back to the pool for the next scrape.
   */
  finish(): WrittenText {
    this.seal();
    const blocks = this.blocks.splice(0);
    const chunks = this.chunks.splice(0);
    let released = false;
    return {
      chunks,
      length: chunks.reduce((n, c) => n + c.length, 0),
      release: () => {
        if (released) return;
        released = true;
        this.pool.release(blocks);
      },
    };
  }
}

/** A scrape's text in the pool's blocks; release() once it is sent (or copied). */
export interface WrittenText {
  chunks: readonly Buffer[];
  length: number;
  release(): void;
}
