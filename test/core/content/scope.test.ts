import { normalizeText } from '../../../core/text/normalize';
import { LANGS } from '../../../core/text/language';
import { realContent } from '../../helpers/content';

// content/scope.yaml: what the bot must refuse (out-of-scope examples) and the topics it must name
// as not covered when a message asks about them, in English and Spanish.

describe('the scope file', () => {
  it('never teaches as out of scope a question the FAQ answers', async () => {
    const { content } = await realContent();
    for (const lang of LANGS) {
      const faq = new Set(content.faq.flatMap((e) => [e[lang].title, ...e[lang].questions]).map(normalizeText));
      const clashes = content.scope.outOfScope.flatMap((g) => g[lang]).filter((t) => faq.has(normalizeText(t)));
      expect(clashes).toEqual([]);
    }
  });

  it('has no empty or duplicated not-covered term in a topic', async () => {
    const { content } = await realContent();
    for (const topic of content.scope.notCovered) {
      for (const lang of LANGS) {
        const terms = topic[lang].terms.map(normalizeText);
        expect(terms.filter((t) => t.length === 0)).toEqual([]);
        expect(terms.filter((t, i) => terms.indexOf(t) !== i)).toEqual([]);
      }
    }
  });

  const named: [string, string][] = [
    ['do you do morpheus8 or any rf needling', 'rf-microneedling'],
    ['hacen radiofrecuencia fraccionada con microagujas', 'rf-microneedling'],
    ['how much do you charge for a full face', 'prices'],
    ['cuánto cobráis la sesión, se puede pagar en cuotas', 'prices'],
    ['will my health insurance pay for it', 'insurance'],
    ['me lo cubre la prepaga', 'insurance'],
    ['what are exosomes and do they help', 'exosomes'],
    ['microneedling con polinucleótidos, qué tal', 'exosomes'],
    ['they take my blood and spin it in a centrifuge?', 'prp'],
    ['me tienen que sacar sangre para el tratamiento', 'prp'],
    ['can i get micropigmentation on my brows the same month', 'other-treatments'],
    ['qué es mejor, bioestimuladores o hilos tensores', 'other-treatments'],
    ['is it worth the hype', 'worth-it'],
    ['de verdad vale la pena hacerse eso', 'worth-it'],
    ['i have nail fungus on my toes', 'other-health'],
    ['tengo hongos en las uñas de los pies', 'other-health'],
    ['do microneedle patches work on pimples', 'needle-serums'],
    ['los sérums con espículas pican mucho', 'needle-serums'],
    ['can you remove skin tags', 'skin-growths'],
    ['me quiero quitar un lunar de la mejilla', 'skin-growths'],
    ['what cream is good for eczema on my hands', 'skin-care-advice'],
    ['qué crema me recomiendan para las ojeras', 'skin-care-advice'],
    ['how do i get rid of my acne for good', 'acne-treatment'],
    ['qué puedo hacer para el acné de mi hija', 'acne-treatment'],
    ['where can i take a microneedling training course', 'courses-regulation'],
    ['es legal que lo haga una esteticista', 'courses-regulation'],
    ['how often should i use a dermaroller at home', 'at-home-use'],
    ['cada cuánto paso el rodillo en casa', 'at-home-use'],
    ['does scalp needling help hair loss', 'hair'],
    ['se me cae el pelo, sirve el microneedling capilar', 'hair'],
    ['can it treat cellulite on my thighs', 'body-areas'],
    ['sirve para quitar la celulitis', 'body-areas'],
    ['is there a minimum age for this', 'age'],
    ['soy menor de edad, me lo puedo hacer', 'age'],
    ['why does acne leave scars in the first place', 'scar-causes'],
    ['por qué el acné deja cicatrices', 'scar-causes'],
    ['does microneedling help with c-section scars', 'other-scars'],
    ['¿sirve para la cicatriz de la cesárea?', 'other-scars'],
    // A slip in a long one-word term.
    ['is it better than microbalding?', 'other-treatments'],
    ['¿es mejor que la mesoterpia?', 'other-treatments'],
  ];

  it.each(named)('names what it does not cover: %s', async (message, id) => {
    const { engine } = await realContent();
    expect(engine.notCoveredTopics(message).map((t) => t.id)).toContain(id);
  });

  // Everyday words that once read as a not-covered topic: "seguros" (safe), "marcas" (marks),
  // "how much does it hurt", "efectivo" (effective), "plata" in a place name, crow's "feet", "led"
  // (the verb), "peels" (the verb), "café" (the colour), "señal" (a sign).
  const plain = [
    'son seguros los rollers de agujas',
    'me quedan marcas de acné en las mejillas',
    'how much does it hurt',
    'how much will i bleed',
    'es efectivo para las arrugas',
    'hay microneedling en mar del plata',
    'does it help crows feet',
    'can i have a bath the night after',
    'puedo meterme en la tina esa noche',
    'is peeling normal on day three',
    'what device do you use',
    'no me cuesta respirar, solo estoy un poco hinchada',
    'which led to a bit of redness',
    'my skin peels a lot on day three',
    'tell me if anything is out of the ordinary',
    'tengo manchas color café en la frente',
    'es señal de infección que me pique',
    'does the redness exceed three days',
    'what causes the redness after microneedling',
    // A long word one letter off a term, changed at its start: "extensive" is not "expensive".
    'the damage was not extensive',
  ];

  it.each(plain)('does not read an everyday question as a not-covered topic: %s', async (message) => {
    const { engine } = await realContent();
    expect(engine.notCoveredTopics(message).map((t) => t.id)).toEqual([]);
  });
});
