/**
 * A confidence (0–1) as a percentage with one decimal, rounded down so that anything below 1
 * never shows as "100.0 %" (0.9996 → "99.9 %"); values outside 0–1 are clamped.
 */
export function formatConfidence(confidence: number): string {
  return `${(Math.floor(Math.max(0, Math.min(1, confidence)) * 1000) / 10).toFixed(1)} %`;
}

/** Steps of the level meter: 0 (empty) … {@link LEVEL_STEPS} (full). */
export const LEVEL_STEPS = 10;
/** The level meter's range, dBFS: {@link LEVEL_FLOOR_DB} → empty, 0 dBFS → full. */
export const LEVEL_FLOOR_DB = -60;

/**
 * Level meter step of a level, for the element's DOM meter and the worker's canvas meter alike:
 * −60 dBFS or less → 0, 0 dBFS or more → {@link LEVEL_STEPS}, linear in dB between (6 dB a
 * step), rounded to the nearest step; not finite → 0.
 * @param levelDb level, dBFS
 */
export function levelStep(levelDb: number): number {
  if (!Number.isFinite(levelDb)) return 0;
  const fraction = Math.max(0, Math.min(1, (levelDb - LEVEL_FLOOR_DB) / -LEVEL_FLOOR_DB));
  return Math.round(fraction * LEVEL_STEPS);
}
