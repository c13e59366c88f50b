import * as path from 'node:path';
import { evaluate, readEvalFile } from '../../core/evaluation/heldoutEvaluation';
import { normalizeText } from '../../core/text/normalize';
import { loadContent } from '../../core/content/contentLoader';
import { LANGS } from '../../core/text/language';
import { CONTENT_DIR, realDecisionParts } from '../helpers/content';

// The real-world corpus: questions and messages gathered from public pages, split by whole site.
// npm run eval prints the figures; these floors only keep them from sliding back (README: targets).
const DEV = readEvalFile(path.join(__dirname, 'realworld', 'dev.yaml'));
const HELD_OUT = readEvalFile(path.join(__dirname, 'realworld', 'heldout.yaml'));
const ratio = (r: { ok: number; total: number }) => r.ok / r.total;

describe('the real-world question corpus', () => {
  const cases = [...DEV.cases, ...HELD_OUT.cases];

  it('is large and bilingual enough to mean something', () => {
    expect(cases.length).toBeGreaterThanOrEqual(400);
    expect(cases.filter((c) => c.lang === 'es').length / cases.length).toBeGreaterThanOrEqual(0.4);
    expect(cases.filter((c) => c.expect === 'red-flag').length).toBeGreaterThanOrEqual(40);
    expect(
      cases.filter((c) => c.expect === 'out-of-scope' || c.expect.startsWith('partial:')).length,
    ).toBeGreaterThanOrEqual(60);
  });

  it('names where every item comes from and who wrote it', () => {
    for (const file of [DEV, HELD_OUT]) {
      const sources = new Map((file.sources ?? []).map((s) => [s.id, s]));
      for (const c of file.cases) expect(sources.get(c.source ?? '')?.url).toMatch(/^https?:\/\//);
    }
  });

  it('keeps every site on one side, and no wording on both', () => {
    const sites = (file: typeof DEV) => new Set((file.sources ?? []).map((s) => s.site.replace(/^www\./, '')));
    const devSites = sites(DEV);
    expect([...sites(HELD_OUT)].filter((s) => devSites.has(s))).toEqual([]);
    const devTexts = new Set(DEV.cases.map((c) => normalizeText(c.text)));
    expect(HELD_OUT.cases.filter((c) => devTexts.has(normalizeText(c.text)))).toEqual([]);
  });

  // redflags.yaml's warning examples were taken from the development set, word for word; the held-out
  // set must never feed them. (FAQ phrasings are the team's own: a common question such as "Does
  // microneedling hurt?" may well be on a held-out site too.)
  it("keeps held-out wording out of the warning-sign detector's examples", () => {
    const { examples } = loadContent(CONTENT_DIR).redFlags;
    const taught = new Set(LANGS.flatMap((l) => [...examples[l].warning, ...examples[l].calm]).map(normalizeText));
    expect(HELD_OUT.cases.filter((c) => taught.has(normalizeText(c.text))).length).toBe(0);
  });

  // The development set took in 2026-12-04's last two parts (questions4, accounts4): mostly other
  // procedures' aftermath and questions about skin conditions themselves, harder than the earlier parts.
  it('holds its floors on the development set', async () => {
    const report = evaluate(await realDecisionParts(), DEV.cases);
    expect(ratio(report.inScope.all)).toBeGreaterThanOrEqual(0.74);
    expect(ratio(report.outOfScope.all)).toBeGreaterThanOrEqual(0.83);
    expect(ratio(report.redFlag.all)).toBeGreaterThanOrEqual(0.98);
    expect(ratio(report.falseAlarms)).toBeLessThanOrEqual(0.025);
  });

  it('holds its floors on the held-out set', async () => {
    const report = evaluate(await realDecisionParts(), HELD_OUT.cases);
    expect(ratio(report.inScope.all)).toBeGreaterThanOrEqual(0.6);
    expect(ratio(report.outOfScope.all)).toBeGreaterThanOrEqual(0.66);
    // The warning examples' detector (redflags.yaml `examples`) took recall from 70 to 81 %.
    expect(ratio(report.redFlag.all)).toBeGreaterThanOrEqual(0.79);
    expect(ratio(report.falseAlarms)).toBeLessThanOrEqual(0.045);
  });
});
