import { describe, expect, it } from 'vitest';
import { formatConfidence } from '../src/element/format';

describe('formatConfidence', () => {
  it('shows one decimal, rounded down, so that nothing below 1 reads as 100 %', () => {
    expect(formatConfidence(0.996)).toBe('99.6 %');
    expect(formatConfidence(0.99999)).toBe('99.9 %');
    expect(formatConfidence(1)).toBe('100.0 %');
    expect(formatConfidence(0.5)).toBe('50.0 %');
    expect(formatConfidence(0.0004)).toBe('0.0 %');
    expect(formatConfidence(1.2)).toBe('100.0 %');
  });
});
