import { DIGIT_LABELS } from '../../src/model/labels';

/** How each digit is written for espeak-ng (0 also as "oh"). */
export const DIGIT_WORDS: readonly (readonly string[])[] = DIGIT_LABELS.map((label, digit) => (digit === 0 ? [label, 'oh'] : [label]));

/**
 * Near-misses: words that sound like a digit but are not one. "won", "to", "for" and "ate" are
 * homophones of "one", "two", "four", "eight" — no acoustic model can tell them apart, so they
 * are listed for evaluation only (`NEAR_MISS_HOMOPHONES`), never trained as non-digits.
 */
// prettier-ignore
export const NEAR_MISSES = ['tree', 'free', 'fine', 'hate', 'nun', 'sex', 'sticks', 'heaven', 'weight', 'zeal', 'hero', 'tan', 'fork', 'dive', 'line', 'sicks', 'seventy', 'tie', 'three d'] as const;
export const NEAR_MISS_HOMOPHONES = ['won', 'to', 'for', 'ate'] as const;

/** Other English words and short phrases a person might say near a kiosk or a phone. */
// prettier-ignore
export const OTHER_WORDS = [
  'hello', 'yes', 'no', 'stop', 'go', 'left', 'right', 'up', 'down', 'on', 'off', 'cat', 'dog', 'house', 'water',
  'people', 'time', 'day', 'good', 'new', 'first', 'last', 'great', 'little', 'old', 'big', 'small', 'next',
  'please', 'thank you', 'sorry', 'maybe', 'okay', 'delete', 'clear', 'back', 'enter', 'cancel', 'help', 'again',
  'ten', 'eleven', 'twelve', 'twenty', 'hundred', 'thousand', 'dollar', 'banana', 'computer', 'window', 'open',
  'close', 'morning', 'evening', 'coffee', 'ticket', 'station', 'number', 'wait', 'what', 'where', 'how much',
  'excuse me', 'I think so', 'not sure', 'music', 'phone', 'card', 'pin', 'code', 'account', 'bus', 'train',
] as const;
