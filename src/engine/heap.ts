/** A binary min-heap ordered by `at`; ties keep insertion order through `seq`. */
export interface HeapEntry<J> {
  at: number;
  seq: number;
  job: J;
}

export class MinHeap<J> {
  private items: HeapEntry<J>[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): HeapEntry<J> | undefined {
    return this.items[0];
  }

  // Sift by moving a hole rather than swapping pairs: no destructuring, half the writes.
  push(e: HeapEntry<J>): void {
    const a = this.items;
    let i = a.length;
    a.push(e);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = a[parent]!;
      if (!less(e, p)) break;
      a[i] = p;
      i = parent;
    }
    a[i] = e;
  }

  pop(): HeapEntry<J> | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    const n = a.length;
    if (n > 0 && last) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const m = r < n && less(a[r]!, a[l]!) ? r : l;
        const child = a[m]!;
        if (!less(child, last)) break;
        a[i] = child;
        i = m;
      }
      a[i] = last;
    }
    return top;
  }

  clear(): void {
    this.items = [];
  }
}

function less<J>(x: HeapEntry<J>, y: HeapEntry<J>): boolean {
  return x.at < y.at || (x.at === y.at && x.seq < y.seq);
}
