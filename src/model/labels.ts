/** Digit class labels, index = class id = the digit itself. */
export const DIGIT_LABELS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'] as const;

/**
 * Label of the rejection class a model may add after the digits: other speech, coughs, clicks,
 * tones, noise. The recognizer never reports it as a digit.
 */
export const OTHER_LABEL = 'other';
