import { describe, expect, it } from 'vitest';
import { Heap, type HeapNode } from '../src/heap.js';

function node(at: number): HeapNode & { id: number } {
  return { _at: at, _heapIndex: -1, id: at };
}

describe('4-ary heap', () => {
  it('yields nodes in order of due time through pushes, removals and re-keys', () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const heap = new Heap<ReturnType<typeof node>>();
    const live = new Set<ReturnType<typeof node>>();
    for (let i = 0; i < 2000; i++) {
      const r = rand();
      if (r < 0.6 || live.size === 0) {
        const n = node(Math.floor(rand() * 1000));
        heap.push(n);
        live.add(n);
      } else if (r < 0.8) {
        const victim = [...live][Math.floor(rand() * live.size)]!;
        heap.remove(victim);
        live.delete(victim);
        expect(victim._heapIndex).toBe(-1);
      } else {
        const moved = [...live][Math.floor(rand() * live.size)]!;
        moved._at = Math.floor(rand() * 1000);
        heap.update(moved);
      }
      expect(heap.length).toBe(live.size);
    }
    for (let i = 0; i < heap.length; i++) expect(heap.at(i)._heapIndex).toBe(i);
    const out: number[] = [];
    for (let top = heap.top(); top !== undefined; top = heap.top()) {
      out.push(top._at);
      heap.remove(top);
    }
    expect(out).toEqual([...live].map((n) => n._at).sort((a, b) => a - b));
  });

  it('rebuild() restores the order after every key changed', () => {
    const heap = new Heap<ReturnType<typeof node>>();
    const nodes = [5, 3, 9, 1, 7, 2, 8].map(node);
    for (const n of nodes) heap.push(n);
    for (const n of nodes) n._at = 100 - n._at;
    heap.rebuild();
    const out: number[] = [];
    for (let top = heap.top(); top !== undefined; top = heap.top()) {
      out.push(top._at);
      heap.remove(top);
    }
    expect(out).toEqual([91, 92, 93, 95, 97, 98, 99]);
  });
});
