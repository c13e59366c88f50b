import { formatGapReport, GapRecord, groupGaps } from '../../../core/gaps/gapReport';

/** Records an hour apart, the last one newest. */
function records(items: ReadonlyArray<Partial<GapRecord> & Pick<GapRecord, 'text'>>): GapRecord[] {
  return items.map((item, i) => ({
    id: `gap-${i}`,
    at: new Date(Date.UTC(2026, 10, 21, 8 + i, 5)).toISOString(),
    lang: 'en',
    kind: 'fallback',
    ...item,
  }));
}

const COST_QUESTIONS = ['how much does it cost', 'how much does microneedling cost?', "what's the cost"];

describe('groupGaps', () => {
  it('puts cost questions together and apart from a botox question', () => {
    const groups = groupGaps(records([...COST_QUESTIONS, 'do you do botox'].map((text) => ({ text }))));
    expect(groups).toHaveLength(2);
    const cost = groups.find((g) => g.count === 3);
    expect(cost?.texts.slice().sort()).toEqual(COST_QUESTIONS.slice().sort());
    expect(groups.find((g) => g.count === 1)?.example).toBe('do you do botox');
  });

  it('groups the cost questions the same way whatever order they arrive in', () => {
    const orders = [
      [0, 1, 2],
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
    ];
    for (const order of orders) {
      const groups = groupGaps(
        records([{ text: 'do you do botox' }, ...order.map((i) => ({ text: COST_QUESTIONS[i] }))]),
      );
      expect(groups.map((g) => g.count).sort()).toEqual([1, 3]);
    }
  });

  it('never mixes Spanish and English', () => {
    const groups = groupGaps(
      records([
        { text: 'microneedling precio', lang: 'es' },
        { text: 'microneedling price', lang: 'en' },
        { text: 'precio del microneedling', lang: 'es' },
      ]),
    );
    expect(groups).toHaveLength(2);
    for (const g of groups) expect(new Set(g.texts.map((t) => /precio/.test(t))).size).toBe(1);
    expect(groups.find((g) => g.lang === 'es')?.count).toBe(2);
    expect(groups.find((g) => g.lang === 'en')?.count).toBe(1);
  });

  it('lists groups newest first and ties by count', () => {
    const at = '2026-11-21T10:00:00.000Z';
    const groups = groupGaps([
      { id: 'a', at: '2026-11-20T10:00:00.000Z', lang: 'en', text: 'do you do botox', kind: 'fallback' },
      { id: 'b', at, lang: 'en', text: 'can I swim after', kind: 'fallback' },
      { id: 'c', at, lang: 'en', text: 'how much does it cost', kind: 'fallback' },
      { id: 'd', at: '2026-11-19T10:00:00.000Z', lang: 'en', text: 'how much does it cost?', kind: 'fallback' },
      { id: 'e', at: '2026-11-22T10:00:00.000Z', lang: 'es', text: '¿hacéis bótox?', kind: 'fallback' },
    ]);
    expect(groups.map((g) => g.example)).toEqual([
      '¿hacéis bótox?',
      'how much does it cost',
      'can I swim after',
      'do you do botox',
    ]);
    expect(groups.map((g) => g.newest)).toEqual(['2026-11-22T10:00:00.000Z', at, at, '2026-11-20T10:00:00.000Z']);
  });

  it('uses the newest text as the example and lists distinct texts newest first', () => {
    const [group] = groupGaps(
      records([
        { text: 'how much does it cost' },
        { text: 'How much does it cost?' },
        { text: 'how much does microneedling cost' },
      ]),
    );
    expect(group.example).toBe('how much does microneedling cost');
    expect(group.texts).toEqual(['how much does microneedling cost', 'How much does it cost?']);
    expect(group.count).toBe(3);
  });

  it("counts records and kinds and collects the entries offered and the records' ids, newest first", () => {
    const [group] = groupGaps(
      records([
        { text: 'how much does it cost', kind: 'fallback' },
        { text: 'how much is the cost', kind: 'low-confidence', faqId: 'sessions', confidence: 0.4 },
        { text: 'cost of it?', kind: 'unhelpful', faqId: 'pricing' },
        { text: 'how much does microneedling cost', kind: 'low-confidence', faqId: 'sessions', confidence: 0.3 },
      ]),
    );
    expect(group.count).toBe(4);
    expect(group.kinds).toEqual({ fallback: 1, 'low-confidence': 2, unhelpful: 1 });
    expect(group.faqIds).toEqual(['sessions', 'pricing']);
    expect(group.ids).toEqual(['gap-3', 'gap-2', 'gap-1', 'gap-0']);
  });

  it('groups messages with no content words by their normalised text', () => {
    const groups = groupGaps(records([{ text: '??' }, { text: 'hi' }, { text: 'Hi!' }, { text: '?' }]));
    expect(groups.map((g) => [g.example, g.count])).toEqual([
      ['?', 2],
      ['Hi!', 2],
    ]);
  });

  it('returns nothing for no records', () => {
    expect(groupGaps([])).toEqual([]);
  });
});

describe('formatGapReport', () => {
  const groups = groupGaps(
    records([
      ...COST_QUESTIONS.map((text) => ({ text })),
      { text: 'how much would it cost', kind: 'unhelpful' },
      { text: 'do you do botox', lang: 'en' },
      { text: '¿hacéis bótox?', lang: 'es' },
    ]),
  );

  it('shows the count, newest time, language, kinds and example of each group', () => {
    const report = formatGapReport(groups);
    const costLine = report.split('\n').find((l) => l.includes('how much would it cost'));
    expect(costLine).toMatch(/^\s*4\s+2026-11-21 11:05 UTC\s+en\s+fallback:3 unhelpful:1\s+how much would it cost$/);
    expect(report).toContain('¿hacéis bótox?');
    expect(report).toMatch(/1\s+2026-11-21 13:05 UTC\s+es/);
  });

  it('indents up to three other texts under the example', () => {
    const lines = formatGapReport(groups).split('\n');
    const at = lines.findIndex((l) => l.includes('how much would it cost'));
    const others = lines.slice(at + 1, at + 4);
    expect(others.map((l) => l.trim()).sort()).toEqual(COST_QUESTIONS.map((t) => `- ${t}`).sort());
    for (const l of others) expect(l).toMatch(/^\s{10,}- /);
  });

  it('shows at most `limit` groups and says how many were left out', () => {
    const report = formatGapReport(groups, { limit: 1 });
    expect(report).toContain('¿hacéis bótox?');
    expect(report).not.toContain('do you do botox');
    expect(report).toContain('2 more groups not shown');
  });

  it('falls back to the default limit when the limit is not a number', () => {
    expect(formatGapReport(groups, { limit: Number.NaN })).toBe(formatGapReport(groups));
  });

  it('says so when there is nothing to report', () => {
    expect(formatGapReport([])).toBe('No unanswered questions.');
  });
});
