import { RedFlagDetector } from '../../../core/safety/redFlagDetector';
import { loadContent } from '../../../core/content/contentLoader';
import { CONTENT_DIR } from '../../helpers/content';

const detector = new RedFlagDetector(loadContent(CONTENT_DIR).redFlags);

// Written for this suite, not taken from any evaluation set: warning signs told the way people tell
// them (stories, past tense, someone else, slang, the complaint in the middle of a long message).
const EMERGENCIES = [
  'the numbing cream made my lips tingle and now they feel huge',
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
  'estoy toda hinchada, parezco globo, y me está costando respirar',
];

const URGENT = [
  'the side of my nose is going purple',
  'it was a searing pain that would not stop',
  'no podía soportar el dolor en la cara',
  'la mancha roja se expandió por toda la mejilla',
  'tengo heridas en toda la cara',
  'she noticed hard lumps a few days later',
  'my face is covered in red bumps and they itch like mad',
  'se me inflamó un ganglio del cuello',
  'my glands are swollen',
  "my skin is peeling off in big sheets and it's raw underneath",
  'me pica muchísimo la cara y el cuello',
  'me pica muchísimo y me salieron ronchas aunque se me está pelando',
  'day 4 and my cheek is hot and throbbing',
  'llevo cinco días con la mejilla caliente al tacto',
  'by the evening my cheeks were getting worse by the hour',
  'mi cara se iba hinchando más y más',
  'my face went bumpy and red and now it is leaking and crusting',
  'i feel shivery and achy since yesterday and my face is still really red',
  'I have a cold sore breakout on my chin after microneedling',
  'my mom had it done on friday and now her whole face is puffy and she has a temp',
  "it burns like crazy and it's been 3 days",
  'the spots where she went over twice are now open and bleeding',
  'my face is so swollen I can barely see',
  'me lo hice hace 4 días y esta mañana tengo la mejilla caliente y me late',
  'my vision is blurry since the session near my eyes',
  'veo borroso desde la sesión',
  'me dolía más y más conforme pasaba la noche',
  'llevo tres días con la cara ardiendo',
  'me arde la cara como si fuera ácido',
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
  'my face is covered in tiny white bumps that keep multiplying',
  'there are little red dots all over that itch like crazy',
  'my skin is peeling off in big raw patches and it stings',
  'the holes from the needles are filled with yellow',
  'my lymph nodes under my jaw are sore and swollen',
  'my eye is puffy and I can barely see out of it',
  'the skin on my forehead turned white then dark',
  'she got impetigo from a microneedling pen',
  'My cheek has a hot, shiny, tight patch',
  'I’m 5 days out and my face is still swollen and hard',
  'the dermapen tore my skin and now there are scabs everywhere',
  'se me formaron unas bolitas blancas y duras',
  'tengo puntitos rojos que pican muchísimo por toda la cara',
  'la frente se me puso blanca y luego oscura',
  'la cara me late',
  'alrededor de la boca tengo costras que van creciendo',
  'a mi amiga le dio impétigo por un dermapen',
  'me duele horrores',
  'me arde la cara desde hace tres días',
  'llevo 5 días y sigo con la cara hinchada y dura',
  'el dermapen me rompió la piel y ahora tengo costras por todos lados',
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
  'me puse un poco roja como con una quemadura de sol leve el primer día',
  'esta noche tengo la cara un poco caliente, me lo hice esta tarde',
  // The water was hot, not the skin.
  'me lavé la cara con agua caliente, ¿lo estropeé?',
  'I washed my face with hot water on day 3, did I mess it up?',
  'my skin feels a bit raw today',
  'will my skin feel raw after?',
  // "daño" the noun in a question is not "dañó" (damaged) in an account.
  '¿el sol hace daño a la piel después?',
  // Some itching is expected while the skin peels (faq.yaml): intense itching is a sign otherwise.
  "it's itching like crazy now that it's peeling",
  'me pica muchísimo ahora que se está pelando',
  // Warmth on the first day is expected (aftercare.yaml): hot skin is a sign later on.
  'had it done yesterday, still a little red and warm',
  'day 1: red, warm and tender',
  'my face was throbbing a bit for an hour after',
  'me lo hice ayer y tengo la cara caliente',
  // A day or two of mild burning is expected: how long the skin stings is judged by the day-by-day aftercare.
  'tuve dermapen hace dos días y sigo muy roja y me arde',
  'I had it done 2 days ago and my face is still burning a bit, what can I put on it for the stinging?',
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
  'it is hard to tell if the swelling is normal',
  'I can’t see any difference around my eyes yet',
  'can I put a warm compress on my skin?',
  'my eyes were a bit puffy the next morning but I could see fine',
  '¿es normal que me pique un poco?',
  'me ardió un poco el primer día',
  'the holes from the needles closed overnight',
  'my face itched a little on day 3',
  'I had a small cold sore last year',
  'after two weeks my skin looked amazing',
  'three weeks later my scars look softer',
  'el dolor fue mínimo, nada grave',
  // The scars a patient comes to have treated are not new scarring.
  'the acne left me with pitted scars, can you help?',
  'I have burn scars from an accident',
  'el acné me dejó hoyos en la cara',
  'tengo cicatrices de la varicela desde niña',
];

// Told as news or a diary: someone else, the past, and how it ended.
const REPORTED = [
  'Within hours her cheeks had blown up and she could hardly open her eyes',
  'She spent three nights in hospital on a drip',
  'She was left with deep pitted marks across her cheeks',
  'Inspectors linked two cases of infection to the salon',
  'A customer fell ill after a treatment at the spa',
  'The serum caused a severe allergic response',
  'microneedling left me with scars',
  'my skin looked like a pizza for two weeks',
  'I couldn’t leave the house for ten days because of the scabs',
  'half her face went numb for days',
  'Tuvo que ser tratada con corticoides durante varias semanas',
  'La esteticista usó el mismo rodillo con varias clientas, lo que propagó bacterias',
  'Le quedaron marcas profundas en las mejillas',
  'Una clienta enfermó tras un tratamiento en el spa',
  'Su rostro quedó marcado de por vida',
  'el microneedling me dejó cicatrices',
  'mi cara parecía una pizza durante dos semanas',
  'no pude salir de casa en diez días por las costras',
  'se me nubló la vista después de la sesión',
];

// Something that went wrong, told as a story or a report, judged a sentence at a time.
const ACCOUNTS = [
  // Asked about a case: someone's own, something happening now, something seen.
  'do you get blisters like mine?',
  'does the redness look infected?',
  '¿se está infectando?',
  '¿sale pus?',
  '¿dan ampollas como las mías?',
  'could I have an infection on my cheek?',
  '¿me puede salir pus ahora?',
  'me salió un sarpullido después, ¿qué hago?',
  '¿empeora la rojez desde ayer?',
  'me sangra mucho la mejilla',
  'sangra mucho todavía, ¿es normal?',
  'mi cara empeora',
  'by the third day she had developed painful blisters along her jawline',
  'the redness on her cheeks turned into something horrific over the weekend',
  'two weeks on, the swelling is still there and my forehead feels damaged',
  'my skin was so raw and angry that I barely left the house',
  'the woman ended up with abscesses where the pen had gone in',
  'a los pocos días le aparecieron heridas por toda la mejilla',
  'la hinchazón fue tan horrible que terminé en urgencias',
  'mi piel quedó destrozada y la cara irreconocible',
  'my face felt like the worst sunburn and then blisters formed everywhere',
  // Told in a news story, or with a small word that hedges nothing ("little lumps").
  'A reader who spoke to us for a story in the news developed an infection the week after her facial',
  'over the next days she noticed little lumps under the skin of her forehead',
  // Keloid scars, tissue lost, a wound that keeps growing.
  'two months later I developed keloids along my jaw',
  'al final se me formaron queloides en la barbilla',
  'she lost a small piece of her lower lip',
  'perdió un trozo de piel de la nariz',
  'the scab on my chin is growing every day',
  'la costra de la frente se está agrandando',
  'her burns were so bad she needed a skin graft',
  'we went to A&E that night',
  // Infections by the germ's name, flu-like aches, swelling that shuts the mouth, burns told with "se".
  'the swab came back as a streptococcus infection',
  'they said it was pseudomonas from the tap water',
  'two days later I felt tired and achy all over',
  'mi hermana no podía abrir la boca de lo hinchada que estaba',
  'le costaba abrir la boca para hablar',
  'con el láser se me quemaron las mejillas',
];

// The same words in a question, a general statement, or something that passed.
const NOT_ACCOUNTS = [
  'The FDA warns about burns and scarring from radiofrequency microneedling devices.',
  'La agencia advierte sobre quemaduras y cicatrices con estos dispositivos.',
  'small wounds can form where the needles went in, in rare cases',
  'the first day the swelling may look horrible',
  'what should I do if sores appear?',
  'I developed a love for skincare after my first session',
  'some people get a small breakout after treatment',
  'the swelling was horrible for a day but it went away',
  // Hedged in the clause that tells it, whatever the clause after it says.
  'I woke up with slightly sore lips, even though that area was spared',
  // Normal healing told as a sunburn.
  "Picture the worst sun burn you've ever gotten, only on your face and neck.",
  'me desperté con los labios un poco doloridos, aunque esa zona no la tocaron',
  'pueden aparecer heridas en casos raros',
  'la hinchazón suele durar unos días',
  '¿qué hago si me salen heridas?',
  'a veces la piel se pone roja durante semanas',
  'Can microneedling cause keloids?',
  'I have keloid-prone skin, can I still have it?',
  'my face is a little swollen today',
  'I lost part of my confidence when the acne came back',
  'me salió una costra grande en la mejilla',
  // "burns" the verb is a sensation; "my burns", "the burns" the noun are injuries.
  'my skin burns when I put moisturizer on',
  'the skin burns for a few minutes after',
  // Abbreviations are read as written: "a e" is A&E, not "a vitamin e".
  'can I use a vitamin e oil after?',
  'the doctor er I mean the nurse said it was fine',
  // Spanish asks what the treatment does without "does": a question, not a report.
  '¿sangra mucho?',
  '¿el microneedling empeora el acné?',
  'tengo rosácea, ¿me la empeora?',
  // Questions about a risk, about nobody in particular and nothing happening now (`askingOpeners`).
  'do you get blisters?',
  'does the redness spread?',
  'can you get an infection?',
  '¿da fiebre?',
  '¿salen ampollas?',
  '¿deja cicatrices?',
  'could I have an allergic reaction to the serum?',
  'does the skin ooze?',
  '¿alguien ha tenido una mala reacción?',
  '¿se pone la cara muy hinchada?',
  '¿qué hago si me sale un sarpullido después?',
  '¿empeora las manchas?',
  // Burnt by the sun is not a burn from the treatment; spicy food is not swelling.
  'se me quemó un poco la piel con el sol',
  'I could not eat spicy food for a day',
];

// Advice and leaflets name warning signs about nobody in particular; patients' own messages still fire.
const GENERAL_ADVICE = [
  'If redness or swelling gets worse after a few days, it may be a sign of infection.',
  'Pus or spreading redness can mean an infection and should be checked.',
  'In rare cases blisters or an allergic reaction can occur.',
  'Si la zona se hincha o sale pus, debe acudir al médico.',
  'En algunos casos puede aparecer una infección.',
  // Read or heard of, or a habit rather than today's skin.
  'I read about people getting HIV from vampire facials, is your clinic safe?',
  'leí que unas mujeres se contagiaron de VIH en un spa, ¿ustedes esterilizan las agujas?',
  'I get hives from some creams, will the numbing cream be a problem?',
  'el primer día tenía la cara muy roja como quemada por el sol, hoy ya está rosada',
  '¿puedo hacerme microneedling si tengo una quemadura solar?',
  'I had terrible acne as a teenager. Now I am left with scars on both cheeks.',
  'my forehead lines seem to be getting worse with age',
  '¿cómo puedo quitar las manchas negras de la cara?',
  '¿cómo descarto si tengo una infección en un dedo?',
  'not sure if I should do Botox or have surgery for my wrinkles',
  'it is not recommended for people who get cold sores or run a fever easily',
  'dicen que la fiebre saca fuegos en los labios, ¿es verdad?',
];
const STILL_REPORTS = [
  'I think I may have an infection, there is pus',
  'my face is swelling up and it might be an allergic reaction',
  'creo que puede ser una infección, tengo pus',
  'the little spots are full of pus and getting bigger',
  'the pain is getting worse each day, not better',
  'a client ... developed an infection that may have resulted from the procedure',
  'there could be a little redness, they said, but it got much worse',
  'If you can’t breathe after the cream, that is an emergency',
  'I read that it can happen, and now my lips are swelling and my throat feels tight',
  'the session left me with a burn that looks like a blister',
  'the dermapen caused so much pain that I cried all night',
  'le causó mucho dolor y la zona se abultó',
  'tengo la cara lastimada desde el tratamiento',
  'I woke up with my face swollen to twice its normal size',
  'my eyes are so puffy my face looks distorted',
  'I think I have some kind of an infection on my cheek',
  'me salió un nacido en la mejilla y me duele mucho',
  'tengo un granito con mucha materia',
  'tengo una herida en la mejilla que está creciendo',
  'there are dark striations across my forehead like a grid',
];

// Redness, swelling, soreness or bumps still there weeks on, and accounts that end by asking about
// themselves ("…, is that normal?").
const LASTING = [
  'It has been three weeks and my cheeks are still red and bumpy.',
  'I had it done a month ago and the redness is still there.',
  'Two weeks after my session my face is still swollen around the eyes.',
  'My forehead is still sore to touch two weeks later, is that normal?',
  'she still has a rash on her neck two months later',
  "It's been 6 weeks and I still have scabs on my nose.",
  'Tres semanas después sigo con la cara roja y con bultitos.',
  'Ya van dos semanas y la cara me sigue doliendo, ¿es normal?',
  'llevo un mes con la cara roja despues del dermapen que hago',
  'Mi hermana sigue con la piel irritada un mes después.',
];
// Harm told by what it did to the patient rather than by its signs.
const TOLD_BY_ITS_MARK = [
  'Worst decision of my life, my skin has never been the same.',
  'The dermatologist said it was contact dermatitis from the serum.',
  'I looked like I had been in a fight.',
  'Mi piel nunca volvió a ser la misma después del dermapen.',
  'Me dejó la cara como si me hubieran pegado.',
];
const TOLD_THEN_ASKED = [
  'My face swelled up massively after the session, is that normal?',
  'Llevo tres semanas y sigo con la cara roja, ¿es normal?',
];
// What lasts weeks on purpose (results, dryness, the scars or marks a patient came to treat), what
// went away, and questions asked outright.
const NOT_LASTING = [
  'Is it normal to still be red after 2 weeks?',
  '¿Es normal seguir roja después de dos semanas?',
  'Will my skin still be red weeks later?',
  'I was still a bit red for two weeks but it went away, is that normal?',
  'Months later my skin still looks amazing.',
  'I still have acne scars after 3 months of sessions.',
  'My skin was still dry two weeks later.',
  'My pores still look big after three months, is that normal?',
  "It's been 2 weeks and I still can't see a difference, is that normal?",
  'Llevo dos semanas y todavía no veo resultados, ¿es normal?',
  'llevo un mes sin granitos',
  'My stretch marks are still red after months, can you treat them?',
  'I still get red when I exercise, weeks later.',
  'My skin has never been better!',
  'Is contact dermatitis a risk with the serum?',
  '¿Puede dar dermatitis de contacto?',
];

// Signs of a filler or laser gone wrong that patients tell in their own words: sight, a face that will
// not move, blood cut off, swelling "like a monster", "something was off".
const GONE_WRONG = [
  'after the filler I went blind in one eye for a few minutes',
  'the doctor said the filler was blocking an artery',
  'the next morning I could not move my lips properly',
  'my face swelled up like a monster overnight',
  'I knew something was off the minute I got home',
  'tenía la cara tan hinchada que me impedía ver',
  'se me quedó la boca paralizada después de las inyecciones',
  'la enfermera dijo que el relleno bloqueó una arteria',
  'pensé que me iba a quedar ciega',
  'supe que algo andaba mal cuando me vi en el espejo',
];

// The same words about something else, a comparison of areas, or a what-if question.
const NOT_GONE_WRONG = [
  'El microneedling mejora el flujo sanguíneo de la piel.',
  'Microneedling increases blood flow to the skin.',
  "I couldn't move my appointment to Friday",
  'no podía ver bien sin mis gafas',
  'the forehead hurt more than the rest of my face',
  'lo más doloroso fue la frente, pero se aguanta',
  'my face was red and warm, like a mild sunburn',
  '¿hay alguna posibilidad de que me quede alguna secuela?',
];

// Harm in a case report's words, or told by what the skin kept: numbness, dents, marks that darken.
const CLINICAL_AND_LASTING = [
  'Paciente que acude por angioedema de labios tras una sesión de plasma.',
  'the patient was seen for a fluctuant nodule on the cheek that had to be drained',
  'two months after the radiofrequency my chin is still numb',
  'a mi cuñada le quedaron hoyos en la piel que antes no tenía',
  'the patches where they went over twice are getting darker not lighter',
  'al día siguiente tenía los ojos tan hinchados que no los podía abrir',
  'ya van tres semanas y los párpados se me siguen hinchando cada mañana',
];

// Words of those signs in calm messages: spots that went, marks people come to treat, a faint head.
const CLINICAL_CALM = [
  'me salieron unos puntitos blancos el segundo día y se fueron solos',
  'Tengo estrías blancas del embarazo, ¿se pueden tratar?',
  '¿sangra? me mareo con la sangre',
  'Mi amiga dice que le dolió muchísimo durante la sesión. ¿Duele mucho?',
  '¿Necesito tomar antibiótico después?',
  'Estoy tomando antibióticos para el acné, ¿puedo hacerme el dermapen?',
  'En ocasiones la hinchazón es intensa durante un par de días.',
];

describe('RedFlagDetector on warning signs told in everyday words', () => {
  it.each(GONE_WRONG)('asks for the clinic on "%s"', (message) => {
    expect(detector.detect(message).level).toBe('urgent');
  });
  it.each(NOT_GONE_WRONG)('stays calm on "%s"', (message) => {
    expect(detector.detect(message).hits).toEqual([]);
  });
  it.each(LASTING)('asks for the clinic when "%s"', (message) => {
    expect(detector.detect(message).hits.map((h) => h.flag.id)).toContain('lasting-symptoms');
  });

  it.each(TOLD_BY_ITS_MARK)('hears the harm in "%s"', (message) => {
    expect(detector.detect(message).level).toBe('urgent');
  });

  it.each(TOLD_THEN_ASKED)('reads the account before the question in "%s"', (message) => {
    expect(detector.detect(message).level).toBe('urgent');
  });

  it.each(NOT_LASTING)('stays calm on "%s"', (message) => {
    expect(detector.detect(message).hits).toEqual([]);
  });

  it.each(GENERAL_ADVICE)('reads "%s" as advice, not a report', (message) => {
    expect(detector.detect(message).hits).toEqual([]);
  });

  it.each(STILL_REPORTS)('still hears "%s"', (message) => {
    expect(detector.detect(message).level).toBeDefined();
  });

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

  it.each(REPORTED)('asks for the clinic on the report "%s"', (message) => {
    expect(detector.detect(message).level).toBeDefined();
  });

  it.each(ACCOUNTS)('hears what went wrong in "%s"', (message) => {
    expect(detector.detect(message).level).toBe('urgent');
  });

  it.each(NOT_ACCOUNTS)('does not take "%s" for an account of harm', (message) => {
    expect(detector.detect(message).hits).toEqual([]);
  });

  it.each(CLINICAL_AND_LASTING)('hears the harm in "%s"', (message) => {
    expect(detector.detect(message).level).toBe('urgent');
  });

  it.each(CLINICAL_CALM)('stays calm on "%s"', (message) => {
    expect(detector.detect(message).hits).toEqual([]);
  });

  it('finds the complaint in the middle of a long message', () => {
    const chatter = 'we talked about prices and dates and the weather for a while. '.repeat(20);
    const story = `${chatter}then my lips swelled up. ${'thanks again for everything. '.repeat(20)}`;
    expect(detector.detect(story).level).toBe('emergency');
  });
});
