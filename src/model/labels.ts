/** Class labels of the digit model, index = class id = the digit itself. */
export const DIGIT_LABELS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'] as const;

/** Number of output classes (logits) of the digit model. */
export const NUM_CLASSES = DIGIT_LABELS.length;
