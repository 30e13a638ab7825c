/**
 * Synthetic speakers (the Clean Spoken Digits idea: many synthetic voices saying the digits)
 * from three engines:
 * - espeak-ng: every English accent it ships, combined with every voice variant whose gender
 *   its variant file states. A speaker = accent + variant. Variants are held out whole (in
 *   every accent) for evaluation, so held-out voices are timbres the model never heard.
 * - SVOX Pico (`pico2wave`, Debian package libttspico-utils): its two English voices, en-US and
 *   en-GB, both female, 16 kHz.
 * - RHVoice (`RHVoice-test`, packages rhvoice + rhvoice-english): alan (male, Scottish English),
 *   bdl (male, US), clb and slt (female, US), 24 kHz.
 * A Pico or RHVoice voice gives several speakers: the same voice at distinct pitch and rate
 * settings ({@link TTS_STYLES}). Whole voices are held out: Pico en-GB and RHVoice bdl.
 */

/** English accents of espeak-ng (espeak-ng-data/lang/gmw). */
export const ESPEAK_ACCENTS = ['en', 'en-us', 'en-029', 'en-gb-scotland', 'en-gb-x-gbclan', 'en-gb-x-gbcwmd', 'en-gb-x-rp', 'en-us-nyc'] as const;

export type Gender = 'female' | 'male';

/** espeak-ng voice variants with the gender their variant file states (espeak-ng-data/voices/!v). */
// prettier-ignore
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

/** The text-to-speech engine of a speaker. */
export type SynthEngine = 'espeak' | 'pico' | 'rhvoice';

/** Every engine, in plan order. */
export const SYNTH_ENGINES: readonly SynthEngine[] = ['espeak', 'pico', 'rhvoice'];

/** A Pico or RHVoice voice: `voice` is pico2wave's `-l` language or RHVoice-test's `-p` profile. */
export interface TtsVoice {
  readonly engine: 'pico' | 'rhvoice';
  readonly voice: string;
  /** Id prefix of its speakers (letters only). */
  readonly prefix: string;
  readonly accent: string;
  readonly gender: Gender;
  readonly heldOut: boolean;
}

/**
 * The Pico and RHVoice voices. Genders: Pico's two English voices are female; RHVoice's from
 * each voice's voice.info (/usr/share/RHVoice/voices/NAME/voice.info). RHVoice: alan, bdl, clb
 * and slt, built from the CMU ARCTIC recordings, under the package's `data/*` licence, LGPL-2.1+
 * (/usr/share/doc/rhvoice-english/copyright); rhvoice-english also ships lyubov and evgeniy-eng,
 * which are under CC BY-NC-ND 4.0 (non-commercial): left out.
 * Held out: Pico en-GB (female) and RHVoice bdl (male).
 */
export const TTS_VOICES: readonly TtsVoice[] = [
  { engine: 'pico', voice: 'en-US', prefix: 'picous', accent: 'en-us', gender: 'female', heldOut: false },
  { engine: 'pico', voice: 'en-GB', prefix: 'picogb', accent: 'en-gb', gender: 'female', heldOut: true },
  { engine: 'rhvoice', voice: 'alan', prefix: 'rhalan', accent: 'en-gb-scotland', gender: 'male', heldOut: false },
  { engine: 'rhvoice', voice: 'bdl', prefix: 'rhbdl', accent: 'en-us', gender: 'male', heldOut: true },
  { engine: 'rhvoice', voice: 'clb', prefix: 'rhclb', accent: 'en-us', gender: 'female', heldOut: false },
  { engine: 'rhvoice', voice: 'slt', prefix: 'rhslt', accent: 'en-us', gender: 'female', heldOut: false },
];

/**
 * Speaker styles of a Pico or RHVoice voice: pitch and rate in percent of the voice's own
 * (100 = unchanged; pico2wave `<pitch level>` / `<speed level>`, RHVoice-test `-t` / `-r`).
 * Measured: both engines scale F0 and tempo proportionally to these percentages (RHVoice
 * clamps at 50–200). Pitches stay within 85–130 % so a voice keeps its gender.
 */
export const TTS_STYLES: readonly { readonly pitch: number; readonly rate: number }[] = [
  { pitch: 86, rate: 92 },
  { pitch: 92, rate: 112 },
  { pitch: 98, rate: 80 },
  { pitch: 100, rate: 100 },
  { pitch: 106, rate: 122 },
  { pitch: 112, rate: 95 },
  { pitch: 120, rate: 108 },
  { pitch: 128, rate: 86 },
];

/** One synthetic speaker. */
export interface SynthSpeaker {
  /**
   * File-name-safe id (letters and digits only, FSDD style): espeak-ng `en-us+f3` → `enusf3`;
   * Pico and RHVoice: voice prefix + style index, e.g. `picous3`, `rhbdl0`.
   */
  readonly id: string;
  readonly engine: SynthEngine;
  /** espeak-ng `-v` argument (`en-us+f3`), pico2wave `-l` language (`en-GB`), or RHVoice-test `-p` profile (`bdl`). */
  readonly voice: string;
  readonly accent: string;
  /** espeak-ng variant, or the Pico/RHVoice voice (`en-GB`, `bdl`): what is held out whole. */
  readonly variant: string;
  readonly gender: Gender;
  readonly heldOut: boolean;
  /** Pico/RHVoice: the speaker's pitch and rate, percent of the voice's own ({@link TTS_STYLES}). */
  readonly style?: { readonly pitch: number; readonly rate: number };
}

/** Every espeak-ng accent × variant speaker, then every Pico and RHVoice voice × style. */
export function synthSpeakers(): SynthSpeaker[] {
  const espeak = ESPEAK_ACCENTS.flatMap((accent) =>
    Object.entries(ESPEAK_VARIANTS).map(([variant, gender]): SynthSpeaker => ({
      id: `${accent}${variant}`.replace(/[^a-zA-Z0-9]/g, '').toLowerCase(),
      engine: 'espeak',
      voice: `${accent}+${variant}`,
      accent,
      variant,
      gender,
      heldOut: HELD_OUT_VARIANTS.has(variant),
    })),
  );
  const tts = TTS_VOICES.flatMap((v) =>
    TTS_STYLES.map((style, k): SynthSpeaker => ({
      id: `${v.prefix}${k}`,
      engine: v.engine,
      voice: v.voice,
      accent: v.accent,
      variant: v.voice,
      gender: v.gender,
      heldOut: v.heldOut,
      style,
    })),
  );
  return [...espeak, ...tts];
}
