/**
 * What chunk k of a plan uses: its runs, the buffer set it binds (chunk k uses set
 * k mod bufferSets, as the executor does), and each buffer's size and the bytes of it
 * this chunk fills. Pure, for stepping through a plan chunk by chunk.
 */
import { bufferBytes, chunkAt, type Chunk, type Plan } from './planner.ts';

/** One buffer chunk k binds, labelled as the executor labels it (so the trace's alloc events match). */
export interface ChunkBuffer {
  array: string;
  /** The executor's label: `state set 1 (81960 B)` or `driver (fixed, 1024 B)`. */
  label: string;
  /** Bytes of the buffer (allocated once, at chunkLength). */
  bytes: bigint;
  /** Bytes of it this chunk fills: less than `bytes` only in a dangling final chunk. */
  usedBytes: bigint;
  fixed: boolean;
}

/** Chunk k's runs, set and buffers. */
export interface ChunkUse {
  chunk: Chunk;
  /** The buffer set it binds, 0-based; always 0 with one set. */
  set: number;
  dangling: boolean;
  buffers: ChunkBuffer[];
  /** Bytes of every buffer it binds. */
  boundBytes: bigint;
}

/** What chunk `index` (0-based, clamped into the plan) uses. */
export function chunkUse(plan: Plan, index: number): ChunkUse {
  const k = Math.min(Math.max(0, Math.trunc(index) || 0), plan.numChunks - 1);
  const chunk = chunkAt(plan, k);
  const set = k % plan.bufferSets;
  const runs = chunk.end - chunk.start;
  const buffers = plan.arrays.map((a): ChunkBuffer => ({
    array: a.name,
    label: a.chunked ? `${a.name} set ${set} (${a.bytes} B)` : `${a.name} (fixed, ${a.bytes} B)`,
    bytes: a.bytes,
    usedBytes: bufferBytes(a, runs),
    fixed: !a.chunked,
  }));
  return {
    chunk,
    set,
    dangling: k === plan.numChunks - 1 && plan.finalChunkLength !== plan.chunkLength,
    buffers,
    boundBytes: buffers.reduce((sum, b) => sum + b.bytes, 0n),
  };
}
