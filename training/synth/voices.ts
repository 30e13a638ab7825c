/**
 * Synthetic speakers from espeak-ng (the Clean Spoken Digits idea: many synthetic voices saying
 * the digits): every English accent espeak-ng ships, combined with every voice variant whose
 * gender its variant file states. A speaker = accent + variant. Variants are held out whole
 * (in every accent) for evaluation, so held-out voices are timbres the model never heard.
 */

/** English accents of espeak-ng (espeak-ng-data/lang/gmw). */
export const ESPEAK_ACCENTS = ['en', 'en-us', 'en-029', 'en-gb-scotland', 'en-gb-x-gbclan', 'en-gb-x-gbcwmd', 'en-gb-x-rp', 'en-us-nyc'] as const;

export type Gender = 'female' | 'male';

/** espeak-ng voice variants with the gender their variant file states (espeak-ng-data/voices/!v). */
export const ESPEAK_VARIANTS: Readonly<Record<string, Gender>> = Object.freeze({
  f1: 'female', f2: 'female', f3: 'female', f4: 'female', f5: 'female',
  Alicia: 'female', Andrea: 'female', Annie: 'female', anika: 'female', aunty: 'female', belinda: 'female',
  grandma: 'female', linda: 'female', steph: 'female', steph2: 'female', steph3: 'female', whisperf: 'female',
  m1: 'male', m2: 'male', m3: 'male', m4: 'male', m5: 'male', m6: 'male', m7: 'male', m8: 'male',
  Andy: 'male', AnxiousAndy: 'male', Denis: 'male', Diogo: 'male', Henrique: 'male', Hugo: 'male', Lee: 'male',
  Marco: 'male', Storm: 'male', antonio: 'male', croak: 'male', michel: 'male', miguel: 'male', sandro: 'male',
  travis: 'male', victor: 'male', whisper: 'male',
});

/** Variants kept out of training: about a quarter of each gender, fixed so runs are comparable. */
export const HELD_OUT_VARIANTS: ReadonlySet<string> = new Set(['f2', 'Annie', 'belinda', 'steph2', 'm3', 'm7', 'Hugo', 'Lee', 'michel', 'travis']);

/** One synthetic speaker. */
export interface SynthSpeaker {
  /** File-name-safe id, e.g. `en-us+f3` → `enus-f3` (letters and digits only, FSDD style). */
  readonly id: string;
  /** espeak-ng `-v` argument, e.g. `en-us+f3`. */
  readonly voice: string;
  readonly accent: string;
  readonly variant: string;
  readonly gender: Gender;
  readonly heldOut: boolean;
}

/** Every accent × variant speaker. */
export function synthSpeakers(): SynthSpeaker[] {
  return ESPEAK_ACCENTS.flatMap((accent) =>
    Object.entries(ESPEAK_VARIANTS).map(([variant, gender]) => ({
      id: `${accent}${variant}`.replace(/[^a-zA-Z0-9]/g, '').toLowerCase(),
      voice: `${accent}+${variant}`,
      accent,
      variant,
      gender,
      heldOut: HELD_OUT_VARIANTS.has(variant),
    })),
  );
}
