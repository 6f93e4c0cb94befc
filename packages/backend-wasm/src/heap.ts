/**
 * The wasm heap: one `WebAssembly.Memory` whose layout the TypeScript side owns.
 *
 *   [0, heapBase)      the module's static data (constants only)
 *   [heapBase, top)    blocks handed out by this allocator (tensors, workspaces)
 *   [top, byteLength)  not yet used; the memory grows (never shrinks) when `top` reaches the end
 *
 * Blocks are 16-byte aligned (SIMD loads, Float64Array views) and rounded up to a size
 * class: 64 bytes at least, then four classes per power of two (at most 25% slack).
 * Freed blocks go to their class's free list and are reused first, so a training loop
 * that allocates the same shapes every step reaches a fixed point and stays there.
 *
 * Threads (a later increment) share this memory: the allocator stays on the main thread
 * and hands each worker its own workspace; kernels take pointers and keep no state.
 */

const PAGE = 65536;
const ALIGN = 16;
const MIN_BLOCK = 64;

/** The size class of a request of `bytes` (a multiple of 16). */
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
  /** Bytes in freed blocks waiting for reuse. */
  freeBytes: number;
}

/** Allocator of the wasm memory: size-class free lists over a memory that only grows. */
export class Heap {
  private top: number;
  private live = 0;
  private blocks = 0;
  private free = 0;
  private readonly freeLists = new Map<number, number[]>();
  private buffer: ArrayBuffer | null = null;
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

  /** A block of at least `bytes` bytes; returns its offset. The memory may grow (views are refreshed lazily). */
  alloc(bytes: number): { ptr: number; size: number } {
    const size = sizeClass(bytes);
    const list = this.freeLists.get(size);
    let ptr = list?.pop();
    if (ptr !== undefined) this.free -= size;
    else {
      ptr = this.top;
      this.ensure(ptr + size);
      this.top = ptr + size;
    }
    this.live += size;
    this.blocks++;
    return { ptr, size };
  }

  /** Returns a block to its size class's free list. */
  release(ptr: number, size: number): void {
    let list = this.freeLists.get(size);
    if (!list) this.freeLists.set(size, (list = []));
    list.push(ptr);
    this.live -= size;
    this.blocks--;
    this.free += size;
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

  stats(): HeapStats {
    return {
      heapBytes: this.memory.buffer.byteLength,
      liveBytes: this.live,
      liveBlocks: this.blocks,
      freeBytes: this.free,
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
