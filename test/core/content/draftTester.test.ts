import { MemoryStorage } from 'botbuilder';
import { parse } from 'yaml';
import { createLocalizer, Localizer } from '../../../bot/i18n';
import { ConsultationEngine } from '../../../core/consultation/consultationEngine';
import { ContentSet } from '../../../core/content/contentLoader';
import { ContentStore } from '../../../core/content/contentStore';
import { DraftTester } from '../../../core/content/draftTester';
import { Steps } from '../../../core/matching/steps';
import { decisionParts } from '../../../core/consultation/messageDecision';
import { LANGS } from '../../../core/text/language';
import { LOCALES_DIR } from '../../helpers/content';
import { AFTER_REVIEWS, smallContent } from '../../helpers/smallContent';

jest.setTimeout(120_000);

describe('the draft test pane', () => {
  const seed = smallContent();
  const PAIN = (parse(seed['faq.yaml']) as { entries: { id: string }[] }).entries.findIndex((e) => e.id === 'pain');
  let i18n: Localizer;
  let store: ContentStore;
  let tester: DraftTester;
  let builds: number;

  beforeAll(async () => {
    i18n = await createLocalizer(LOCALES_DIR, true);
  });
  beforeEach(() => {
    store = new ContentStore(new MemoryStorage(), { seed, now: () => AFTER_REVIEWS });
    builds = 0;
    const build = function* (content: ContentSet): Steps<ConsultationEngine> {
      builds++;
      return yield* ConsultationEngine.building(content, i18n.commands);
    };
    const titles = (key: string): string[] => LANGS.map((l) => i18n.t(l, key));
    tester = new DraftTester(store, build, {
      partsFor: (engine) =>
        decisionParts(engine, i18n.replies, titles('flows.booking.buttons.send'), titles('handoff.callbackButton')),
      maxMessageChars: 2000,
      now: () => AFTER_REVIEWS,
    });
  });
  afterEach(() => tester.close());

  const editPain = async (answer: string): Promise<void> => {
    const { revision } = await store.draft();
    await store.editDraft([{ file: 'faq.yaml', path: ['entries', PAIN, 'en', 'answer'], value: answer }], {
      expectedRevision: revision,
      by: 'Ana',
    });
  };

  it("answers with the draft's text, as npm run ask reports it", async () => {
    await editPain('Only in the draft.');
    const result = await tester.ask('does it hurt?', 'en');
    expect(result).toMatchObject({
      kind: 'report',
      revision: 1,
      report: { reply: { kind: 'answer', entryId: 'pain', title: 'Does it hurt?', text: 'Only in the draft.' } },
    });
    expect(result.kind === 'report' && result.report.matcher.ranked.length).toBeGreaterThan(1);
  });

  it('says whether a warning sign fired, and which', async () => {
    const result = await tester.ask('theres pus coming out of my cheek', 'en');
    expect(result.kind === 'report' && result.report.warningSign).toMatchObject({
      level: 'urgent',
      signs: [expect.any(String)],
    });
  });

  it('builds the engine once per draft revision, and again after a save', async () => {
    await tester.ask('does it hurt?', 'en');
    await tester.ask('¿duele?', 'es');
    expect(builds).toBe(1);
    await editPain('Changed again.');
    const after = await tester.ask('does it hurt?', 'en');
    expect(builds).toBe(2);
    expect(after.kind === 'report' && after.report.reply).toMatchObject({ text: 'Changed again.' });
  });

  it('builds in slices, so other work keeps running meanwhile', async () => {
    let turns = 0;
    let done = false;
    const asked = tester.ask('does it hurt?', 'en').finally(() => (done = true));
    while (!done) {
      await new Promise((resolve) => setImmediate(resolve));
      turns++;
    }
    await asked;
    expect(turns).toBeGreaterThan(2);
  });

  it('reports why a draft that cannot load yet cannot answer', async () => {
    const { revision } = await store.draft();
    await store.editDraft([{ file: 'faq.yaml', path: ['entries', PAIN, 'en', 'title'], value: '' }], {
      expectedRevision: revision,
      by: 'Ana',
    });
    const result = await tester.ask('does it hurt?', 'en');
    expect(result).toMatchObject({
      kind: 'invalid',
      problems: [expect.objectContaining({ message: 'must not be empty', path: ['entries', PAIN, 'en', 'title'] })],
    });
  });
});
