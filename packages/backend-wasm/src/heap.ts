/**
 * The wasm heap: one `WebAssembly.Memory` whose layout the TypeScript side owns.
 *
 *   [0, heapBase)      the module's static data (constants only)
 *   [heapBase, top)    blocks handed out by this allocator (tensors, workspaces)
 *   [top, byteLength)  not yet used; the memory grows (never shrinks) when `top` reaches the end
 *
 * Blocks are 16-byte aligned (SIMD loads, Float64Array views) and rounded up to a size
 * class: 64 bytes at least, then four classes per power of two (at most 25% slack).
 * A request takes, in this order: a free block of exactly its class (so a training loop
 * that allocates the same shapes every step reaches a fixed point and stays there), the
 * front of the smallest larger free block (the rest stays free), or fresh space at `top`.
 * Freed blocks coalesce with free neighbours, and free space that reaches `top` returns
 * to it, so workloads whose shapes keep changing reuse the memory instead of growing it;
 * coalescing is lazy (one pass at the first miss after frees), so a free is a push.
 *
 * Worker threads share this memory: the allocator runs on the main thread only and hands
 * each worker its own workspace; kernels take pointers and keep no state.
 */

const PAGE = 65536;
const ALIGN = 16;
const MIN_BLOCK = 64;

/**
 * The size class of a request of `bytes` (a multiple of 16): 64 at least, then four
 * classes per power of two.
 *
 * @example
 * ```ts
 * sizeClass(100); // 112
 * sizeClass(600); // 640
 * ```
 */
export function sizeClass(bytes: number): number {
  if (bytes <= MIN_BLOCK) return MIN_BLOCK;
  const e = 31 - Math.clz32(bytes - 1); // 2^e < bytes <= 2^(e+1)
  const step = 2 ** (e - 2);
  return Math.ceil(bytes / step) * step;
}

export interface HeapStats {
  /** Size of the wasm memory. */
  heapBytes: number;
  /** Bytes in blocks handed out and not freed (class sizes). */
  liveBytes: number;
  /** Number of blocks handed out and not freed. */
  liveBlocks: number;
  /** Bytes in freed blocks below `top` waiting for reuse (coalesced). */
  freeBytes: number;
  /** End of the used part of the memory (above it: never used, or returned by frees). */
  topBytes: number;
}

/**
 * Allocator of the wasm memory: size classes, coalescing free blocks, a memory that only grows.
 *
 * @example
 * ```ts
 * const heap = new Heap(new WebAssembly.Memory({ initial: 1 }), 1024);
 * const block = heap.alloc(100); // { ptr: 1024, size: 112 }
 * heap.release(block.ptr, block.size);
 * heap.stats().liveBytes; // 0
 * ```
 */
export class Heap {
  private top: number;
  private live = 0;
  private blocks = 0;
  private free = 0;
  /** Free blocks by size class: a stack of pointers each (the most recently freed on top). */
  private readonly freeBySize = new Map<number, number[]>();
  /** Emptied stacks of `freeBySize`, reused. */
  private readonly spareStacks: number[][] = [];
  /** Blocks were freed since the last coalescing pass. */
  private uncoalesced = false;
  private buffer: ArrayBufferLike | null = null;
  private f32View = new Float32Array(0);
  private f64View = new Float64Array(0);
  private i32View = new Int32Array(0);
  private u8View = new Uint8Array(0);

  constructor(
    readonly memory: WebAssembly.Memory,
    heapBase: number,
  ) {
    this.top = Math.ceil(heapBase / ALIGN) * ALIGN;
  }

  /**
   * A block of at least `bytes` bytes; returns its offset. The memory may grow (views are
   * refreshed lazily). Order: a free block of exactly the class; after coalescing what was
   * freed since the last miss, that again; the front of the smallest larger free block;
   * fresh space at `top`.
   */
  alloc(bytes: number): { ptr: number; size: number } {
    const size = sizeClass(bytes);
    let ptr = this.popFree(size);
    if (ptr === undefined && this.uncoalesced) {
      this.coalesce();
      ptr = this.popFree(size);
    }
    ptr ??= this.splitLarger(size);
    if (ptr === undefined) {
      ptr = this.top;
      this.ensure(ptr + size);
      this.top = ptr + size;
    }
    this.live += size;
    this.blocks++;
    return { ptr, size };
  }

  /**
   * Returns a block to the free stack of its class. Coalescing with free neighbours (and
   * with `top`) waits for the next allocation miss: a training loop, which frees and
   * reallocates the same classes every step, never pays for it.
   */
  release(ptr: number, size: number): void {
    this.live -= size;
    this.blocks--;
    this.pushFree(ptr, size);
    this.uncoalesced = true;
  }

  /** Merges adjacent free blocks, and returns free space that reaches `top` to it. */
  private coalesce(): void {
    const blocks: [number, number][] = [];
    for (const [size, stack] of this.freeBySize) {
      for (const ptr of stack) blocks.push([ptr, size]);
      stack.length = 0;
      this.spareStacks.push(stack);
    }
    this.freeBySize.clear();
    this.free = 0;
    this.uncoalesced = false;
    blocks.sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const [ptr, size] of blocks) {
      const last = merged[merged.length - 1];
      if (last && last[0] + last[1] === ptr) last[1] += size;
      else merged.push([ptr, size]);
    }
    const highest = merged[merged.length - 1];
    if (highest && highest[0] + highest[1] === this.top) {
      this.top = highest[0];
      merged.pop();
    }
    for (const [ptr, size] of merged) this.pushFree(ptr, size);
  }

  /** The front of the smallest free block larger than `size`; the rest stays free. */
  private splitLarger(size: number): number | undefined {
    let best = Infinity;
    for (const candidate of this.freeBySize.keys()) {
      if (candidate > size && candidate < best) best = candidate;
    }
    if (best === Infinity) return undefined;
    const ptr = this.popFree(best)!;
    this.pushFree(ptr + size, best - size);
    return ptr;
  }

  private pushFree(ptr: number, size: number): void {
    let stack = this.freeBySize.get(size);
    if (!stack) this.freeBySize.set(size, (stack = this.spareStacks.pop() ?? []));
    stack.push(ptr);
    this.free += size;
  }

  private popFree(size: number): number | undefined {
    const stack = this.freeBySize.get(size);
    if (!stack) return undefined;
    const ptr = stack.pop()!;
    if (stack.length === 0) {
      this.freeBySize.delete(size);
      this.spareStacks.push(stack);
    }
    this.free -= size;
    return ptr;
  }

  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const needed = Math.ceil((end - have) / PAGE);
    // Grow by at least 1/8 of the current size, so a growing workload grows the memory O(log n) times.
    const pages = Math.max(needed, Math.ceil(have / PAGE / 8));
    try {
      this.memory.grow(pages);
    } catch {
      this.memory.grow(needed);
    }
  }

  /** The heap's state, after coalescing what was freed since the last pass (so it reports settled numbers). */
  stats(): HeapStats {
    if (this.uncoalesced) this.coalesce();
    return {
      heapBytes: this.memory.buffer.byteLength,
      liveBytes: this.live,
      liveBlocks: this.blocks,
      freeBytes: this.free,
      topBytes: this.top,
    };
  }

  private refresh(): void {
    const buf = this.memory.buffer;
    if (buf === this.buffer) return;
    this.buffer = buf;
    this.f32View = new Float32Array(buf);
    this.f64View = new Float64Array(buf);
    this.i32View = new Int32Array(buf);
    this.u8View = new Uint8Array(buf);
  }

  /** Views over the whole memory, valid until the next allocation (which may grow it). */
  get f32(): Float32Array {
    this.refresh();
    return this.f32View;
  }
  get f64(): Float64Array {
    this.refresh();
    return this.f64View;
  }
  get i32(): Int32Array {
    this.refresh();
    return this.i32View;
  }
  get u8(): Uint8Array {
    this.refresh();
    return this.u8View;
  }
}
