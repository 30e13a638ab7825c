/**
 * A confidence (0–1) as a percentage with one decimal, rounded down so that anything below 1
 * never shows as "100.0 %" (0.9996 → "99.9 %"); values outside 0–1 are clamped.
 */
export function formatConfidence(confidence: number): string {
  return `${(Math.floor(Math.max(0, Math.min(1, confidence)) * 1000) / 10).toFixed(1)} %`;
}
