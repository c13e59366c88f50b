import { Understood } from '../../../core/consultation/consultationEngine';
import { realContent } from '../../helpers/content';

function answered(u: Understood): string[] {
  return u.kind === 'answers' ? u.answers.map((a) => a.entry.id) : [];
}

describe('what the engine understands of real patients wording', () => {
  it('answers the question a story ends in', async () => {
    const { engine } = await realContent();
    const story =
      'My sister had it and could not wear makeup for a while. How long do I have to wait to put make-up on?';
    expect(answered(engine.understand(story, 'en'))).toEqual(['aftercare-makeup']);
    const cuento = 'Mi amiga se lo hizo y dice que le dolió muchísimo. ¿Duele mucho?';
    expect(answered(engine.understand(cuento, 'es'))).toEqual(['pain']);
  });

  it('does not answer a lone question that does not fit the story around it', async () => {
    const { engine } = await realContent();
    const u = engine.understand('Eres una persona o un robot que me contesta todo el rato? ¿Qué edad tienes?', 'es');
    expect(u.kind).not.toBe('answers');
  });

  it('keeps a capitalised treatment name at the end of a question, where a place name would be dropped', async () => {
    const { engine } = await realContent();
    expect(answered(engine.understand('Is numbing cream necessary in Microneedling?', 'en'))).toEqual(['numbing']);
    const place = '¿Hay algún efecto secundario después de Microneedling en San Juan?';
    expect(answered(engine.understand(place, 'es'))).toEqual(['side-effects']);
  });

  it('reads "and … that" as leaning on the answer before, even when the message alone looks answerable', async () => {
    const { engine } = await realContent();
    const previous = { faqId: 'redness-duration', question: 'Will my face be red after?' };
    expect(answered(engine.understand('and how long does that last?', 'en', previous))).toEqual(['redness-duration']);
  });

  it('answers a follow-up naming its own topic from it, and one narrowing the last question from that', async () => {
    const { engine } = await realContent();
    const makeup = { faqId: 'aftercare-makeup', question: '¿puedo maquillarme después?' };
    expect(answered(engine.understand('¿y hacer ejercicio?', 'es', makeup))).toEqual(['aftercare-exercise']);
    const pain = { faqId: 'pain', question: 'does it hurt?' };
    expect(answered(engine.understand('what about the neck?', 'en', pain))).toEqual(['pain']);
  });

  it('answers a question under a heading about what the heading names', async () => {
    const { engine } = await realContent();
    const u = engine.understand('Microneedling for acne scars: does it work and is it safe?', 'en');
    expect(answered(u)[0]).toBe('acne-scars');
    expect(answered(u)).not.toContain('benefits-overview');
  });

  it('answers the question asked after saying the treatment was done, not only the aftercare guide', async () => {
    const { engine } = await realContent();
    const u = engine.understand('I had microneedling this morning, when can I wash my face?', 'en');
    expect(answered(u)).toEqual(['aftercare-cleansing']);
    expect(engine.understand('I had microneedling today, what now?', 'en')).toMatchObject({ kind: 'flow' });
  });

  it('does not answer a question about another procedure from the words of its name', async () => {
    const { engine } = await realContent();
    // "limpieza" alone points at the clinic's own cleansing step before microneedling.
    expect(engine.understand('¿Qué es la limpieza facial?', 'es')).toMatchObject({
      kind: 'fallback',
      notCovered: [expect.stringContaining('faciales')],
    });
    expect(engine.understand('What is a chemical peel?', 'en')).toMatchObject({ kind: 'fallback' });
    // The rest of the message still answers: the other procedure is only named as not covered.
    const prp = engine.understand('do you do PRP and how long is the downtime?', 'en');
    expect(answered(prp)).toEqual(['downtime']);
  });

  it('says what it does not cover when the question after the treatment is about another treatment', async () => {
    const { engine } = await realContent();
    const en = engine.understand('I had microneedling this morning, can I get Botox next week?', 'en');
    expect(en).toMatchObject({ kind: 'fallback', notCovered: [expect.stringContaining('Botox')] });
    const es = engine.understand('Me hice microneedling ayer, ¿puedo ponerme bótox la semana que viene?', 'es');
    expect(es).toMatchObject({ kind: 'fallback', notCovered: [expect.stringContaining('bótox')] });
  });

  it('reads a body area after an answer on what microneedling treats as asking where it can be done', async () => {
    const { engine } = await realContent();
    const scars = { faqId: 'acne-scars', question: 'can microneedling help acne scars?' };
    expect(answered(engine.understand('what about the neck?', 'en', scars))).toEqual(['treatment-areas']);
    const spots = { faqId: 'pigmentation', question: '¿sirve para las manchas?' };
    expect(answered(engine.understand('¿y en las manos?', 'es', spots))).toEqual(['treatment-areas']);
    // After an answer on an aspect of every area, the same words ask about that aspect there.
    const pain = { faqId: 'pain', question: 'does it hurt?' };
    expect(answered(engine.understand('what about the neck?', 'en', pain))).toEqual(['pain']);
  });

  it('answers who may have it first when a question about a benefit also names pregnancy', async () => {
    const { engine } = await realContent();
    const u = engine.understand('can I treat my acne scars while pregnant?', 'en');
    expect(answered(u)).toEqual(['pregnancy-breastfeeding', 'acne-scars']);
    expect(answered(engine.understand('can microneedling help my acne scars?', 'en'))).toEqual(['acne-scars']);
  });

  it('reads a follow-up that the question before would drown by its own ask related to the last answer', async () => {
    const { engine } = await realContent();
    // Alone, "¿y cuánto duran?" finds the appointment's length; with the question before, the results again.
    const results = { faqId: 'results-timeline', question: '¿cuándo veo resultados?' };
    expect(answered(engine.understand('¿y cuánto duran?', 'es', results))).toEqual(['results-duration']);
    // Alone, the English is not sure enough to answer; its likeliest entry is still the aspect asked about.
    const english = { faqId: 'results-timeline', question: 'when will I see results?' };
    expect(answered(engine.understand('and how long do they last?', 'en', english))).toEqual(['results-duration']);
    const peeling = { faqId: 'peeling-dryness', question: '¿es normal pelarse?' };
    expect(answered(engine.understand('¿y eso es normal?', 'es', peeling))).toEqual(['peeling-dryness']);
  });

  it.each([
    ['is there downtime?', 'downtime', 'how long?', 'en', 'downtime'],
    ['can I wear makeup after?', 'aftercare-makeup', 'how long should I wait?', 'en', 'aftercare-makeup'],
    ['¿me pelaré?', 'peeling-dryness', '¿cuánto dura?', 'es', 'peeling-dryness'],
    ['¿tengo que dejar el retinol antes?', 'prep-skincare', '¿cuánto tiempo antes?', 'es', 'prep-skincare'],
    // After what it is for or who it suits, "how long?" asks about the appointment.
    ['is it safe for dark skin?', 'skin-types', 'how long?', 'en', 'duration'],
    ['¿sirve para las cicatrices de acné?', 'acne-scars', '¿cuánto dura?', 'es', 'duration'],
  ] as const)(
    'after "%s" (%s), answers a bare "%s" (%s) with the last answer, unless that has no how long of its own',
    async (q, id, m, lang, expected) => {
      const { engine } = await realContent();
      expect(answered(engine.understand(m, lang, { faqId: id, question: q }))).toEqual([expected]);
    },
  );

  it('still answers a bare "how long?" with no answer before it, and one that names its subject', async () => {
    const { engine } = await realContent();
    expect(answered(engine.understand('how long?', 'en'))).toEqual(['duration']);
    const downtime = { faqId: 'downtime', question: 'is there downtime?' };
    expect(answered(engine.understand('how long do results last?', 'en', downtime))).toEqual(['results-duration']);
  });

  it.each([
    ['What exactly are pores?', 'en', 'pores'],
    ['¿Qué causa la flacidez facial?', 'es', 'skin-laxity'],
    ['¿Por qué se forman cicatrices de acné?', 'es', 'acne-scars'],
  ] as const)(
    'says that "%s" about the condition itself is not covered, with what it does cover',
    async (m, lang, id) => {
      const { engine, content } = await realContent();
      const basics = content.scope.notCovered.find((t) => t.id === 'condition-basics');
      const u = engine.understand(m, lang);
      expect(answered(u)).toEqual([id]);
      expect(u.kind === 'answers' && u.notCovered).toEqual([basics?.[lang].name]);
    },
  );

  it.each([
    'can microneedling help my pores?',
    'what are the benefits?',
    'what causes the redness after microneedling?',
  ])('does not take "%s", about the treatment, for a question about the condition itself', async (m) => {
    const { engine } = await realContent();
    const u = engine.understand(m, 'en');
    expect(u.kind === 'answers' && u.notCovered).toEqual([]);
  });

  it('answers the entry of a "did you mean" between one entry and a guided conversation', async () => {
    const { engine } = await realContent();
    const message = 'how do i know if microneedling is right for me';
    // The matcher hesitates between who is a good candidate and the screening questions …
    expect(engine.faqMatcher.match(message, 'en')).toMatchObject({
      kind: 'clarify',
      ids: expect.arrayContaining(['good-candidate', 'flow:screening']) as unknown,
    });
    // … and a menu of one entry would help nobody: the patient gets that entry.
    expect(answered(engine.understand(message, 'en'))).toEqual(['good-candidate']);
  });

  it('answers both subjects of a short question that joins them, and only the one a question names', async () => {
    const { engine } = await realContent();
    const both = (text: string, lang: 'en' | 'es') => answered(engine.understand(text, lang)).sort();
    expect(both('does it help with dark spots and pores?', 'en')).toEqual(['pigmentation', 'pores']);
    expect(both('is swelling and bruising normal after?', 'en')).toEqual(['bleeding-bruising', 'swelling']);
    expect(both('¿sirve para las arrugas y la flacidez?', 'es')).toEqual(['fine-lines-wrinkles', 'skin-laxity']);
    // One subject, whatever else the question names in passing ("todo tipo" is not about skin types).
    expect(both('¿Sirve para todo tipo de estrías?', 'es')).toEqual(['stretch-marks']);
    expect(both('does it help with dark spots?', 'en')).toEqual(['pigmentation']);
    // In the order the message names them.
    expect(answered(engine.understand('does it work for melasma and rosacea?', 'en'))).toEqual([
      'pigmentation',
      'rosacea-redness',
    ]);
    expect(answered(engine.understand('does it work for rosacea and melasma?', 'en'))).toEqual([
      'rosacea-redness',
      'pigmentation',
    ]);
  });

  it('answers each option of a "did you mean" whose own subject the message names', async () => {
    const { engine } = await realContent();
    // Both are asked about: choosing one of them would be the patient's chore.
    const both =
      'Después del procedimiento, es normal experimentar algo de hinchazón y enrojecimiento en la zona tratada.';
    expect(engine.understand(both, 'es').kind).toBe('answers');
    expect(answered(engine.understand(both, 'es')).sort()).toEqual(['redness-duration', 'swelling']);
  });

  it('answers a message told after the treatment about healing, not about what microneedling can treat', async () => {
    const { engine } = await realContent();
    const after = 'After the session I had some swelling and redness on my cheeks.';
    expect(answered(engine.understand(after, 'en'))).toEqual(['swelling']);
    const despues = 'Después de la sesión me salió rojez en las mejillas';
    expect(answered(engine.understand(despues, 'es'))).toEqual(['redness-duration']);
    expect(answered(engine.understand('Can microneedling help the redness on my cheeks?', 'en'))).toEqual([
      'rosacea-redness',
    ]);
  });

  it('answers going back to a vitamin C serum as restarting actives, not as the session serum', async () => {
    const { engine } = await realContent();
    const vitaminC = '¿ya puedo usar mi sérum de vitamina C?';
    expect(answered(engine.understand(vitaminC, 'es'))).toEqual(['aftercare-actives']);
  });

  it('reads "before and after" as the photos only when it names them', async () => {
    const { engine } = await realContent();
    for (const [m, lang] of [
      ['what should I avoid before and after?', 'en'],
      ['¿qué debo evitar antes y después?', 'es'],
    ] as const) {
      const u = engine.understand(m, lang);
      expect(u.kind === 'answers' && u.notCovered).toEqual([]);
    }
    const photos = engine.understand('can I see before and after photos?', 'en');
    expect(photos.kind === 'fallback' && photos.notCovered).toEqual(['before-and-after photos']);
  });

  it('does not name a topic whose term runs on into one of its unless words', async () => {
    const { engine } = await realContent();
    const scars = engine.understand('how do I get rid of my acne scars?', 'en');
    expect(answered(scars)).toEqual(['acne-scars']);
    expect(scars.kind === 'answers' && scars.notCovered).toEqual([]);
    const both = engine.understand('¿cómo quitar el acné y las cicatrices?', 'es');
    expect(both.kind === 'answers' && both.notCovered.length).toBe(1);
  });

  it('names the age topic for a question about a teenager, not for acne a patient had as one', async () => {
    const { engine } = await realContent();
    const past = engine.understand('As a teenager, I had acne and now have scars, can it help?', 'en');
    expect(past.kind === 'answers' && past.notCovered).toEqual([]);
    const asked = engine.understand('can a teenager get microneedling?', 'en');
    expect(asked.kind === 'fallback' || asked.kind === 'answers' ? asked.notCovered : []).toEqual([
      'a minimum age, or treating teenagers',
    ]);
  });

  it('names the specific warning signs, and the catch-all one only when nothing more specific fired', async () => {
    const { engine } = await realContent();
    const lasting = engine.checkRedFlags('Two weeks after my session my face is still swollen around the eyes', 'en');
    expect(lasting?.signs).toEqual(['redness, swelling, pain or bumps lasting weeks']);
    const only = engine.checkRedFlags('my skin has never been the same since the session', 'en');
    expect(only?.signs).toEqual(['skin that is not healing as expected']);
    const lips = engine.checkRedFlags('supe que algo andaba mal: los labios no se me movían', 'es');
    expect(lips?.signs).toEqual(['pérdida de visión, o una cara o unos labios que no se mueven']);
  });

  it('says plainly which part of a half-curated question the content does not cover', async () => {
    const { engine } = await realContent();
    const u = engine.understand('I have keloids, can I still have microneedling?', 'en');
    expect(u.kind === 'answers' || u.kind === 'fallback').toBe(true);
    if (u.kind === 'answers' || u.kind === 'fallback') expect(u.notCovered.length).toBe(1);
  });

  it.each([
    ['how much does it cost and how many sessions do I need?', 'en', 'number-of-sessions', 'prices'],
    ['¿cuánto cuesta y cuántas sesiones necesito?', 'es', 'number-of-sessions', 'prices'],
    ['do you do PRP and how long is the downtime?', 'en', 'downtime', 'prp'],
  ] as const)(
    'answers the covered question of "%s" and names the other as not covered',
    async (message, lang, entry, topic) => {
      const { engine } = await realContent();
      expect(answered(engine.understand(message, lang))).toEqual([entry]);
      expect(engine.notCoveredTopics(message).map((t) => t.id)).toEqual([topic]);
    },
  );
});
