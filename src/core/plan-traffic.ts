/**
 * The bytes a plan moves between host and device: every upload and every readback over
 * every run. It is a job's weight when the workload gives none (DESIGN.md, "Placement"),
 * and it is what a run's trace records as upload plus readback bytes when no fault cuts
 * the run: each chunk moves each chunked array's slice rounded up to 4 bytes, fixed
 * inputs go up once, fixed outputs come back with every chunk.
 */
import type { Plan } from './planner.ts';

const roundUp4 = (n: bigint) => (n + 3n) & ~3n;

/** Bytes a plan moves up and back, summed over its chunks. Pure. */
export function planTrafficBytes(plan: Pick<Plan, 'arrays' | 'numChunks' | 'chunkLength' | 'finalChunkLength'>): bigint {
  const full = BigInt(plan.numChunks - 1);
  let total = 0n;
  for (const array of plan.arrays) {
    const up = array.role === 'input' || array.role === 'inout';
    const back = array.role === 'output' || array.role === 'inout';
    const ways = BigInt(Number(up) + Number(back));
    if (array.chunked) {
      // Totals over every run can pass 2^53: summed in bigints from the rows' exact numbers.
      const runBytes = BigInt(array.runBytes);
      const moved = full * roundUp4(runBytes * BigInt(plan.chunkLength)) + roundUp4(runBytes * BigInt(plan.finalChunkLength));
      total += ways * moved;
    } else {
      if (up) total += BigInt(array.bytes);
      if (back) total += BigInt(array.bytes) * BigInt(plan.numChunks);
    }
  }
  return total;
}
