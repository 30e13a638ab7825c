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

/**
 * More running speech for the training voices only (84 sentences, none of them in
 * {@link SENTENCES}): the heads' "not a digit" needs more sentences than the 40 of
 * {@link TRAIN_SENTENCES}, and the held-out set must stay as it was. Same rules (checked by
 * test/synth.test.ts).
 */
export const EXTRA_TRAIN_SENTENCES: readonly string[] = [
  'Could you tell me where the platform is?',
  'I would like a return ticket, please.',
  'Is this seat taken or can I sit here?',
  'The printer ran out of paper again.',
  'Please insert your card and enter your code.',
  'Which bus goes past the hospital?',
  'I cannot find my glasses anywhere.',
  'Where can I buy a map of the city?',
  'Can you help me carry these boxes?',
  'The doors are closing, please stand clear.',
  'Is breakfast included in the price?',
  'Please keep your ticket with you at all times.',
  'The next train is running a little late.',
  'Could I get a receipt with that?',
  'We accept cash, cards and mobile payments.',
  'Your order will be ready in a moment.',
  'Please take a number and wait your turn.',
  'Is there a toilet somewhere near here?',
  'The toilets are at the end of the corridor.',
  'Sorry, we have sold out of sandwiches.',
  'Would you like a bag with your shopping?',
  'Please scan the barcode on your ticket.',
  'This machine only takes coins.',
  'Can I change my booking online?',
  'I need help with my luggage.',
  'Mind the gap between the train and the platform.',
  'The cafe is just around the corner.',
  'Please check your details are correct.',
  'He walked slowly along the quiet street.',
  'The garden was full of butterflies and bees.',
  'She painted the fence a bright shade of blue.',
  'The wind howled all night around the old house.',
  'A small boat drifted across the lake.',
  'The teacher wrote the lesson on the blackboard.',
  'They built a fire and cooked dinner outside.',
  'The city lights sparkled in the dark.',
  'Our neighbours have a very noisy parrot.',
  'The baker gets up early every morning.',
  'The hills were covered in purple heather.',
  'A fox crept quietly through the garden.',
  'The fisherman mended his nets by the harbour.',
  'The orchestra played a beautiful piece of music.',
  'The train rattled through the sleepy countryside.',
  'An owl hooted somewhere in the dark wood.',
  'The scarf was knitted from soft grey wool.',
  'The waves crashed against the rocks below.',
  'She found an old photograph in the attic.',
  'The soup was hot, thick and full of vegetables.',
  'The gardener planted tulips along the path.',
  'The little shop sold sweets, toys and newspapers.',
  'We watched the sunset from the top of the hill.',
  'The bridge was closed because of the flood.',
  'He carefully wrapped the present in red paper.',
  'Did you watch the match last night?',
  'I think I left the kettle on.',
  'What time does the film start?',
  'It was lovely seeing you again.',
  'Let me know when you get home.',
  'Shall we take a taxi or walk?',
  'I really need a cup of tea.',
  'That sounds like a great idea.',
  'We had a lovely time at the beach.',
  'Can you pass me the salt, please?',
  'I am not sure what you mean.',
  'The queue at the post office was huge.',
  'Have you tried the new bakery in town?',
  'I will be back in a minute.',
  'Do you want milk in your coffee?',
  'The shops are very busy at the weekend.',
  'It is much colder than yesterday.',
  'Let me think about it and get back later.',
  'I love the smell of fresh bread.',
  'My cousin is getting married in June.',
  'We could go camping in the summer.',
  'Please remember the keys when you leave.',
  'It is raining again, what a surprise.',
  'I prefer the window seat on long journeys.',
  'The children are playing in the garden.',
  'We need milk, eggs and some cheese.',
  'I am going shopping this afternoon.',
  'Could you repeat that more slowly?',
  'I am afraid I do not understand.',
  'Excuse me, I think you dropped this.',
  'No problem at all, happy birthday.',
];
