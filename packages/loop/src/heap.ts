/**
 * A 4-ary min-heap of timers ordered by their due time, as libev keeps them
 * (EV_USE_4HEAP): shallower than a binary heap, so fewer cache misses on the
 * sift-down that every expiry does. Each node records its own index so a
 * timer can be removed or re-keyed in O(log n).
 *
 * @module
 */

/** What the heap orders: a due time and the node's slot, kept by the heap. */
export interface HeapNode {
  /** @internal Due time (seconds, on the heap's clock). */
  _at: number;
  /** @internal Index in the heap, -1 when not in it. */
  _heapIndex: number;
}

/** A 4-ary min-heap on `_at`. */
export class Heap<T extends HeapNode> {
  #items: (T | undefined)[] = [];
  #length = 0;

  get length(): number {
    return this.#length;
  }

  /** The node due first, or undefined. */
  top(): T | undefined {
    return this.#length > 0 ? this.#items[0] : undefined;
  }

  /** The node at `i` (0 ≤ i < length), for walks. */
  at(i: number): T {
    return this.#items[i]!;
  }

  push(node: T): void {
    const i = this.#length++;
    this.#items[i] = node;
    node._heapIndex = i;
    this.#up(i);
  }

  remove(node: T): void {
    const i = node._heapIndex;
    if (i < 0) return;
    const last = this.#items[--this.#length]!;
    this.#items[this.#length] = undefined;
    node._heapIndex = -1;
    if (i < this.#length) {
      this.#items[i] = last;
      last._heapIndex = i;
      this.update(last);
    }
  }

  /** Restores the order after `node._at` changed. */
  update(node: T): void {
    const i = node._heapIndex;
    if (i > 0 && this.#items[(i - 1) >> 2]!._at > node._at) this.#up(i);
    else this.#down(i);
  }

  /** Restores the order after every `_at` changed (a clock jump). */
  rebuild(): void {
    for (let i = (this.#length - 2) >> 2; i >= 0; i--) this.#down(i);
  }

  #up(i: number): void {
    const items = this.#items;
    const node = items[i]!;
    while (i > 0) {
      const p = (i - 1) >> 2;
      const parent = items[p]!;
      if (parent._at <= node._at) break;
      items[i] = parent;
      parent._heapIndex = i;
      i = p;
    }
    items[i] = node;
    node._heapIndex = i;
  }

  #down(i: number): void {
    const items = this.#items;
    const n = this.#length;
    const node = items[i]!;
    for (;;) {
      const first = 4 * i + 1;
      if (first >= n) break;
      let min = first;
      const end = Math.min(first + 4, n);
      for (let c = first + 1; c < end; c++) if (items[c]!._at < items[min]!._at) min = c;
      const child = items[min]!;
      if (child._at >= node._at) break;
      items[i] = child;
      child._heapIndex = i;
      i = min;
    }
    items[i] = node;
    node._heapIndex = i;
  }
}
