/**
 * Seeds of the training data: every random choice about one clip is seeded by the recipe's seed,
 * the copy and the clip's id alone, so a clip's example is the same in every run of that recipe,
 * whichever other clips take part (leave-one-speaker-out folds, `--limit`), and can be cached.
 */

/** 32-bit FNV-1a hash of a string (Fowler–Noll–Vo), for per-clip seeds. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The seed of one clip's augmentation in one copy (or epoch). */
export function clipSeed(seed: number, copy: number, id: string): number {
  return fnv1a(`${seed}:${copy}:${id}`);
}
