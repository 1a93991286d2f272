/**
 * Lane caps from shares, in exact integers (DESIGN.md, "Lanes and shares"): a manual
 * share's cap is floor(budget × share) with the share read as the decimal written, so
 * 0.3 of 1000 B is 300 B and not the 299 B its binary float would give; `auto` lanes
 * split what the manual caps leave equally, the first lanes taking one byte more where
 * it does not divide, each at least 5 % of the budget.
 */
import type { LaneSpec } from './workload.ts';

/** A lane's cap: bytes of the device budget its jobs may plan with. */
export interface LaneCap {
  name: string;
  share: number | 'auto';
  capBytes: number;
}

/** Why shares cannot be had: manual shares over the whole device, or auto lanes squeezed under 5 %. */
export interface SharesError {
  code: 'SHARES_EXCEED_DEVICE' | 'AUTO_SHARE_TOO_SMALL';
  message: string;
  path: 'lanes';
}

/** The smallest part of the budget an auto lane may get: 1/20. */
const kMinAutoShareDenominator = 20n;

/** Each lane's cap, or why the shares do not fit the device. Pure; never throws for valid shares. */
export function laneCaps(budgetBytes: number, lanes: readonly LaneSpec[]): { ok: true; caps: LaneCap[] } | { ok: false; error: SharesError } {
  const budget = BigInt(budgetBytes);
  let sumNum = 0n;
  let sumDen = 1n;
  let manualBytes = 0n;
  const caps: bigint[] = lanes.map(() => 0n);
  let autos = 0;
  lanes.forEach((lane, i) => {
    if (lane.share === 'auto') {
      autos++;
      return;
    }
    const { num, den } = decimalFraction(lane.share);
    sumNum = sumNum * den + num * sumDen;
    sumDen *= den;
    caps[i] = (budget * num) / den;
    manualBytes += caps[i];
  });
  if (sumNum > sumDen) {
    return {
      ok: false,
      error: {
        code: 'SHARES_EXCEED_DEVICE',
        message: `the manual shares add up to ${formatFraction(sumNum, sumDen)} of the device; they may add up to at most 1`,
        path: 'lanes',
      },
    };
  }
  if (autos > 0) {
    const left = budget - manualBytes;
    const each = left / BigInt(autos);
    const extra = left % BigInt(autos);
    if (each * kMinAutoShareDenominator < budget) {
      return {
        ok: false,
        error: {
          code: 'AUTO_SHARE_TOO_SMALL',
          message:
            `${autos} auto ${autos === 1 ? 'lane gets' : 'lanes get'} ${each} B each of the ${left} B the manual shares leave,` +
            ` under 5 % of the ${budget} B budget — lower the manual shares or use fewer lanes`,
          path: 'lanes',
        },
      };
    }
    let k = 0n;
    lanes.forEach((lane, i) => {
      if (lane.share !== 'auto') return;
      caps[i] = each + (k < extra ? 1n : 0n);
      k++;
    });
  }
  return { ok: true, caps: lanes.map((lane, i) => ({ name: lane.name, share: lane.share, capBytes: Number(caps[i]) })) };
}

/** A number as the decimal fraction its shortest written form states: 0.3 → 3/10, 1e-7 → 1/10^7. */
export function decimalFraction(x: number): { num: bigint; den: bigint } {
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(String(x));
  if (!match) throw new RangeError(`${x} is not a finite non-negative number`);
  const [, whole, fraction = '', exponent = '0'] = match;
  const shift = Number(exponent) - fraction.length;
  const digits = BigInt(whole + fraction);
  return shift >= 0 ? { num: digits * 10n ** BigInt(shift), den: 1n } : { num: digits, den: 10n ** BigInt(-shift) };
}

function formatFraction(num: bigint, den: bigint): string {
  const scaled = (num * 1_000_000n) / den;
  return (Number(scaled) / 1_000_000).toString();
}
