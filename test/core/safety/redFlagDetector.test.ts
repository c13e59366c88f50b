import { RedFlagDetector } from '../../../core/safety/redFlagDetector';
import { loadContent } from '../../../core/content/contentLoader';
import { CONTENT_DIR } from '../../helpers/content';

const detector = new RedFlagDetector(loadContent(CONTENT_DIR).redFlags);

// The development set for the warning-sign lexicon (the held-out set in test/eval is measured separately).
const EMERGENCIES = [
  'I cant breathe properly',
  'having trouble breathing since the treatment',
  'my throat feels like its closing',
  'my lips are swelling up really fast',
  'tongue is swollen and it is hard to swallow',
  'short of breath and my face is puffy',
  'me cuesta respirar',
  'no puedo respirar bien desde esta mañana',
  'se me están hinchando los labios',
  'tengo la lengua hinchada',
  'siento que se me cierra la garganta',
];

const URGENT = [
  "there's pus coming out of a spot on my cheek",
  'it is oozing yellow stuff',
  'yellow crusty bits all over my chin',
  'i think its infected',
  'I have a fever since yesterday',
  'feeling feverish with chills tonight',
  'the redness is spreading down to my neck',
  'it keeps getting redder and redder',
  'there are red streaks going down my jaw',
  'skin is hot to the touch and throbbing',
  'I got blisters on my forehead',
  'the pain is getting worse every day',
  'severe pain on my left cheek',
  'hives all over my face after the cream',
  'think im having an allergic reaction',
  'bleeding that wont stop',
  'open sores that are not healing after a week',
  'tengo fiebre',
  'tengo calentura y escalofríos',
  'me sale pus de un granito',
  'creo que se me infectó',
  'la rojez se está extendiendo por el cuello',
  'me salieron ampollas en la frente',
  'dolor insoportable en la mejilla',
  'el dolor va a peor cada día',
  'me salieron ronchas por toda la cara',
  'la piel está caliente al tacto',
  'hi, quick question about sessions, also my cheek is oozing since yesterday',
  'no fever but there is pus',
  'feaver and chils',
  'it smells bad and there is crust',
  'temperature of 39 degrees tonight',
  'my face is getting worse instead of better on day 5',
  'really swollen around my eyes',
  'feeling dizzy and sick',
  'me dio alergia la crema',
  'me salieron ampollitas',
  'la cara va a peor cada día',
  'me desmayé después del tratamiento',
  'the red patch on my cheek keeps getting bigger',
  'pain on my jaw is way worse today than yesterday',
  'the area is hot and swollen',
  'la zona roja cada día está más grande y se extiende',
  'me duele de forma insoportable',
  'my lips look swollen',
  'it has been bleeding for hours',
  'greenish crust on my chin',
];

const NOT_RED_FLAGS = [
  'no fever or pus, just a bit red on day 2',
  'is it normal to have mild swelling the first day',
  'no tengo fiebre pero la piel se me pela',
  'how do you prevent infection',
  'does it hurt a lot',
  'how long does redness last',
  'sin fiebre, solo un poco roja',
  "I don't have a fever",
  'will I get blisters?',
  '¿duele mucho?',
  'is it normal to be red on day 3',
  'my skin is peeling on day 5',
  'how can I avoid an infection after treatment',
  'what is the risk of infection',
  "I'm allergic to lidocaine, can I still have it?",
  'will it make my acne worse?',
  'can microneedling cause an infection',
  'is it going to be extremely painful?',
  'will my face look worse before it gets better?',
  'does the redness get worse on the second day?',
  '¿me va a doler mucho?',
  'my skin feels tight and dry on day 3',
];

describe('RedFlagDetector', () => {
  it.each(EMERGENCIES)('calls for emergency services on "%s"', (message) => {
    expect(detector.detect(message).level).toBe('emergency');
  });

  it.each(URGENT)('asks the patient to contact the clinic on "%s"', (message) => {
    expect(detector.detect(message).level).toBeDefined();
  });

  it.each(NOT_RED_FLAGS)('stays calm on "%s"', (message) => {
    expect(detector.detect(message).hits).toEqual([]);
  });

  it('stays calm on a question whether the treatment can help the skin the patient has', () => {
    for (const m of [
      'mottled skin from sunbathing all through my 20s and now i am 42. would micro needling help even it out?',
      'i feel like my whole face has dropped in the last few years. can microneedling help with that?',
      'tengo unas manchas más oscuras que antes no tenía, me salieron este año, ¿me sirve el microneedling?',
    ])
      expect(detector.detect(m).hits).toEqual([]);
    // Once it was done, the same words tell of harm; and an emergency is never quiet.
    expect(detector.detect('I had microneedling yesterday and now there is pus, can a cream help?').level).toBe(
      'urgent',
    );
    expect(detector.detect('can microneedling help my scars? my throat is closing up').level).toBe('emergency');
  });

  it('does not let a negation reach past "but"', () => {
    expect(detector.detect('no fever, but my cheek is oozing').hits.map((h) => h.flag.id)).toEqual(['pus']);
  });

  it('does not let a negation reach into the next sentence', () => {
    expect(detector.detect('No pain. Fever since last night.').hits.map((h) => h.flag.id)).toEqual(['fever']);
  });

  it('reads a word written with "=" as that word only: "a week" is not "weeks"', () => {
    // Bumps are normal for about a week (aftercare.yaml): the day-by-day report answers that.
    expect(detector.detect('una semana después y todavía tengo granitos').hits).toEqual([]);
    const ids = (m: string) => detector.detect(m).hits.map((h) => h.flag.id);
    expect(ids('llevo tres semanas y todavía tengo granitos')).toContain('lasting-symptoms');
    expect(ids('three weeks later I still have bumps')).toContain('lasting-symptoms');
  });

  it('stays calm on a question about complications in general, not on one about the patient', () => {
    expect(detector.detect('What are the complications of microneedling?').hits).toEqual([]);
    expect(detector.detect('¿Cuáles son las complicaciones del microneedling?').hits).toEqual([]);
    expect(detector.detect('my face has pus, what are the next steps?').level).toBe('urgent');
  });

  it('reports every sign it found', () => {
    const ids = detector.detect('I have pus and a fever').hits.map((h) => h.flag.id);
    expect(ids).toEqual(expect.arrayContaining(['pus', 'fever']));
  });
});
