import { describe, expect, it } from 'vitest';
import { dtypeBytes, kDtypeNames, kDtypes } from '../../src/core/dtypes.ts';

describe('dtypeBytes', () => {
  it('gives the bytes of the dtype table for every dtype', () => {
    for (const dtype of kDtypeNames) expect(dtypeBytes(dtype)).toBe(kDtypes[dtype].bytes);
  });
});
