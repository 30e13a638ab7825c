import { describe, expect, it } from 'vitest';
import { formatConfidence, levelStep } from '../src/element/format';

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

describe('levelStep', () => {
  it('maps −60…0 dBFS onto the ten steps of the meter, 6 dB a step, clamped; silence and bad input are empty', () => {
    expect([-120, -60, -57.1, -56.9, -30, -3.1, -2.9, 0, 6].map(levelStep)).toEqual([0, 0, 0, 1, 5, 9, 10, 10, 10]);
    expect(levelStep(Number.NaN)).toBe(0);
    expect(levelStep(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(levelStep(Number.POSITIVE_INFINITY)).toBe(0);
  });
});
