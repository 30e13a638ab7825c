/**
 * Running speech without digits: ordinary English sentences (5–15 words) of the kind people say
 * beside a kiosk, read aloud, or make small talk with. None contains a digit word or an exact
 * homophone of one ({@link DIGIT_SOUNDING_WORDS}), nor a word built on one ("someone",
 * "fourteen", "today", "before", "won't"): checked by {@link soundsLikeDigit} in
 * test/synth.test.ts. Number words that are not digits ("ten", "twenty", "hundred") are fine.
 *
 * The synthetic voices read them (training/synth/generate.ts): training voices the even-indexed
 * sentences ({@link TRAIN_SENTENCES}), held-out voices the odd-indexed ones
 * ({@link HELD_OUT_SENTENCES}), so the running-speech evaluation uses sentences training never
 * heard, in voices it never heard.
 */

/** Digit words and their exact homophones (zero, "oh", one/won, two/to/too, four/for/fore, eight/ate, …). */
// prettier-ignore
export const DIGIT_SOUNDING_WORDS: readonly string[] = ['zero', 'oh', 'one', 'won', 'two', 'to', 'too', 'three', 'four', 'for', 'fore', 'five', 'six', 'seven', 'eight', 'ate', 'nine'];

/** Spellings that, inside a longer word, make it a compound of a digit word ("someone", "fourteen", "sixty", "wonder"). */
const DIGIT_PARTS = ['zero', 'one', 'won', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/** Compounds of "to", "for" and "fore" ("today", "into", "before", "forget", "forward"). */
const HOMOPHONE_COMPOUND = /^(to(day|night|morrow|wards?|gether)|into|onto|for.+|.+fore)$/;

/**
 * Whether a word is, or is built on, a digit word or an exact homophone of one. The word is
 * split at anything but letters first, so "won't" and "twenty-one" are caught by their parts.
 */
export function soundsLikeDigit(word: string): boolean {
  return word
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((part) => part.length > 0)
    .some((part) => DIGIT_SOUNDING_WORDS.includes(part) || DIGIT_PARTS.some((d) => part.includes(d)) || HOMOPHONE_COMPOUND.test(part));
}

/** The sentences (80). */
export const SENTENCES: readonly string[] = [
  // At a kiosk, a ticket machine, a counter.
  'Could you show me where the nearest exit is, please?',
  'I would like a coffee with milk and no sugar.',
  'Excuse me, is this the right queue?',
  'The machine is not taking my card.',
  'Can I pay with cash here or only by card?',
  'Where do I collect my ticket after paying?',
  'Please wait while we process your request.',
  'Thank you, have a nice day and enjoy your trip.',
  'I think the screen has frozen again.',
  'Is there anybody who can help me with this machine?',
  'My receipt did not print, what should I do now?',
  'Let me check the timetable on the board over there.',
  'The train was late again this morning.',
  'Do you know if the shop upstairs is open?',
  'I left my umbrella on the bus yesterday.',
  'Press the green button and then follow the instructions.',
  'The lift is out of order, please use the stairs.',
  'We are sorry, this service is not available right now.',
  'Hold your card near the reader until it beeps.',
  'Could I have a small bag, please?',
  'Please speak clearly and say your name after the beep.',
  'This line is very long, we might be waiting a while.',
  'Remember your bags and belongings when leaving the train.',
  'Do you know where the nearest bank is?',
  'Turn left at the lights and keep going straight ahead.',
  // Read aloud.
  'The old lighthouse stood at the edge of the cliff.',
  'She opened the letter slowly and read it twice.',
  'Rain fell softly on the roof all through the night.',
  'The river winds through the valley like a silver ribbon.',
  'He had never seen so many birds in the sky.',
  'A cold wind blew across the empty harbour.',
  'The children laughed as the puppy chased its tail.',
  'Her grandmother kept a garden full of roses and herbs.',
  'In the morning the village was covered in fresh snow.',
  'The library was quiet apart from the ticking of a clock.',
  'They walked along the beach and collected shells.',
  'The captain looked at the map and frowned.',
  'Somewhere in the distance a dog began barking.',
  'The bread smelled lovely when it came out of the oven.',
  'Every autumn the leaves turn red and gold.',
  'The museum has a large collection of ancient coins.',
  'A thin layer of frost covered the windows.',
  'The scientist carefully recorded every result in her notebook.',
  'The mountain path was steep, narrow and slippery.',
  'He closed the book and looked out of the window.',
  'The market square was busy with traders and visitors.',
  'Long ago, a king lived in a castle by the sea.',
  'The storm passed and the sun came out again.',
  'Most plants need light, water and good soil.',
  'The kitten was asleep in a basket by the fire.',
  // Small talk.
  'How was your weekend, did you do anything nice?',
  'I really like your jacket, where did you get it?',
  'It looks like it might rain later this afternoon.',
  'We should get lunch some time next week.',
  'My sister just moved abroad and I miss her.',
  'Have you seen the new film everybody is talking about?',
  'I am so tired, I barely slept last night.',
  'The traffic was terrible on the way here.',
  'Are you coming with us after work?',
  'That was the best pizza I have had in ages.',
  'I need a holiday, somewhere warm and quiet.',
  'Sorry I am late, the bus never came.',
  'Did you remember your keys this time?',
  'What are you doing this weekend?',
  'Let us meet at the cafe near the park.',
  'I have been learning Spanish, but it is hard.',
  'My brother plays the guitar in a small band.',
  'Could you speak a little louder, please?',
  'I cannot believe how fast this year has passed.',
  'The weather has been lovely all week.',
  'She said she would call me back later.',
  'Really, I have no idea what happened.',
  'Would you like some tea or maybe a biscuit?',
  'We are thinking of painting the kitchen yellow.',
  'The kids have been playing outside all day.',
  'The dog needs a walk, are you coming with me?',
  // Number words that are not digits.
  'Ten people were waiting outside the shop this morning.',
  'The parcel arrived twenty minutes after I left.',
  'It costs about a hundred dollars, which is a lot.',
  'Our meeting starts at noon in the big room.',
];

/** Sentences the training voices read (even indices). */
export const TRAIN_SENTENCES: readonly string[] = SENTENCES.filter((_, i) => i % 2 === 0);
/** Sentences only the held-out voices read (odd indices): evaluation only. */
export const HELD_OUT_SENTENCES: readonly string[] = SENTENCES.filter((_, i) => i % 2 === 1);
