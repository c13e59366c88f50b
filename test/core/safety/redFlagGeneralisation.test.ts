import { RedFlagDetector } from '../../../core/safety/redFlagDetector';
import { loadContent } from '../../../core/content/contentLoader';
import { CONTENT_DIR } from '../../helpers/content';

const detector = new RedFlagDetector(loadContent(CONTENT_DIR).redFlags);

// Written for this suite, not taken from any evaluation set: warning signs told the way people tell
// them (stories, past tense, someone else, slang, the complaint in the middle of a long message).
const EMERGENCIES = [
  'the swelling went up my nose and into my throat',
  'my daughter’s lips started swelling and she said her throat felt tight',
  'the swelling spread down my neck and it got hard to swallow',
  'she couldn’t breathe properly and her lips went blue',
  'her throat closed up an hour after the numbing cream went on',
  'a mi hermana se le hinchó la cara y luego la garganta, casi no podía respirar',
  'la hinchazón se fue extendiendo hasta que me cerró la garganta',
  'se me hincharon los labios y sentía la garganta cerrada',
  'a mi madre le costaba tragar después de la sesión',
  'a los diez minutos se le hincharon los labios y la lengua',
];

const URGENT = [
  'my whole cheek swelled up and went purple overnight',
  'my sister’s face blew up after her session yesterday',
  'it’s been oozing yellow gunk since this morning',
  'woke up and my chin was crusted over with yellow goo',
  "my mum had it done on tuesday and now she's running a fever and shaking",
  'so i went in on friday for my third session, everything seemed fine, the girl was lovely, but by saturday ' +
    'night the left side of my face was hot and swollen and there was pus coming out of a couple of the holes, ' +
    "and now i'm not sure what to do because the clinic is closed",
  'two days later she developed cellulitis and had to go on antibiotics',
  'the doctor diagnosed me with an infection and put me on antibiotics',
  'my eyes swelled shut the morning after',
  'these pustules showed up everywhere a few days after',
  'he used a dirty dermaroller and ended up with a nasty infection',
  'microneedling gave me an infection',
  'I broke out in cold sores all over my lips after my session',
  'she said it felt like her face was on fire for days',
  'her face was so swollen she was unrecognisable',
  'the swelling got so bad I couldn’t open my eyes',
  'my skin has been burning and stinging for days',
  'the area went hard and lumpy',
  'the patch started leaking fluid and then it got swollen and irritated',
  'the woman was chemically burned during the procedure',
  'I had to go to the ER because my face kept swelling',
  'se me hinchó la cara',
  'se me hinchó toda la cara y se me puso morada',
  'me salió pus de los puntitos',
  'tengo calentura desde anoche',
  'mi hija se hizo el tratamiento y ahora tiene la cara hinchada y con fiebre',
  'se le inflamó tanto la cara que se le cerraron los ojos',
  'el médico me dijo que tenía una infección y me recetó antibióticos',
  'le diagnosticaron celulitis después del microneedling',
  'se me están hinchando mucho los ojos y no los puedo abrir',
  'fui el viernes a mi sesión, todo bien, la chica muy amable, pero el sábado por la noche tenía la mejilla ' +
    'caliente e hinchada y me salía pus de algunos agujeritos, y ahora no sé qué hacer porque la clínica está cerrada',
  'le salieron herpes por toda la boca después de la sesión',
  'tenía la cara irreconocible de lo hinchada',
  'mi cara reaccionó fatal y tengo un sarpullido',
  'las manchas se pusieron negras',
  'my lips kept getting bigger and bigger all evening',
  'la mejilla se me fue hinchando muchísimo en pocos minutos',
  'she now lives with a scar across her cheek',
  'the doctor at the walk-in said she had an infection',
  'a la semana le aparecieron bultos duros donde la pincharon',
];

// Typed in a hurry: one slip still counts.
const TYPOS = [
  'i have a fevr',
  'my throath is closing',
  'blisers on my cheek',
  'its infectd',
  'tengo fievre',
  'tengo la cara muy inchada',
  'hinchason en los labios',
];

const CALM = [
  'no fever, no pus, just red like a sunburn',
  'no swelling at all, just a bit tight',
  'my throat isn’t swollen, only my cheeks are a bit pink',
  'what signs should I watch for?',
  'how do I know if it’s infected?',
  'how can I tell if I have an infection after microneedling?',
  'what happens if it gets infected?',
  'what should I do if I get a fever?',
  'what if I get blisters?',
  'will it swell?',
  'is swelling normal after?',
  'how long does swelling last after lip filler',
  'are there any complications?',
  'can microneedling give you an infection?',
  'I never had any problems with my last session',
  'it gives great results for acne scars',
  'I’m seeing my dermatologist next week',
  'I contacted the clinic yesterday',
  'how do i make my plants grow faster',
  'sin fiebre, solo un poco roja',
  'nada de hinchazón, todo bien',
  '¿qué síntomas son de alarma?',
  '¿cómo sé si se me infectó?',
  '¿qué pasa si me da fiebre?',
  '¿qué hago si me salen ampollas?',
  '¿es normal la hinchazón después del tratamiento?',
  '¿me quedarán marcas?',
  '¿qué complicaciones tiene?',
  '¿el microneedling sirve para la celulitis?',
  'me puedo infectar con las agujas?',
  'cuanto cuesta tratar el dorso de las manos',
  'me salió una calentura en el labio, ¿tengo que cambiar la cita?',
  'me quedaron cicatrices de los granos, ¿me ayuda?',
  'si notas fiebre o pus, llámanos',
  'si sientes dolor, estás apretando demasiado fuerte',
  'me salen granitos después del dermapen, ¿es normal?',
  'my face looks like a terrible sunburn today, day one',
];

describe('RedFlagDetector on warning signs told in everyday words', () => {
  it.each(EMERGENCIES)('calls for emergency services on "%s"', (message) => {
    expect(detector.detect(message).level).toBe('emergency');
  });

  it.each(URGENT)('asks for the clinic on "%s"', (message) => {
    expect(detector.detect(message).level).toBeDefined();
  });

  it.each(TYPOS)('reads the slip in "%s"', (message) => {
    expect(detector.detect(message).level).toBeDefined();
  });

  it.each(CALM)('stays calm on "%s"', (message) => {
    expect(detector.detect(message).hits).toEqual([]);
  });

  it('finds the complaint in the middle of a long message', () => {
    const chatter = 'we talked about prices and dates and the weather for a while. '.repeat(20);
    const story = `${chatter}then my lips swelled up. ${'thanks again for everything. '.repeat(20)}`;
    expect(detector.detect(story).level).toBe('emergency');
  });
});
