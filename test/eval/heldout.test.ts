import * as path from 'node:path';
import { evaluate, readEvalCases } from '../../core/evaluation/heldoutEvaluation';
import { realDecisionParts } from '../helpers/content';

// Floors on patient questions written without looking at content/ (npm run eval prints the figures).
// heldout.yaml was never used for tuning; dev-set.yaml was, so its floors are higher.
const ratio = (r: { ok: number; total: number }) => r.ok / r.total;

describe('answering quality on questions the content never saw', () => {
  it('holds its floors on the held-out set', async () => {
    const parts = await realDecisionParts();
    const report = evaluate(parts, readEvalCases(path.join(__dirname, 'heldout.yaml')));
    expect(report.redFlag.all.ok).toBe(report.redFlag.all.total);
    expect(ratio(report.inScope.all)).toBeGreaterThanOrEqual(0.9);
    expect(ratio(report.inScope.es)).toBeGreaterThanOrEqual(0.88);
    expect(ratio(report.outOfScope.all)).toBeGreaterThanOrEqual(0.9);
    expect(ratio(report.falseAlarms)).toBeLessThanOrEqual(0.02);
  });

  it('holds its floors on the development set', async () => {
    const parts = await realDecisionParts();
    const report = evaluate(parts, readEvalCases(path.join(__dirname, 'dev-set.yaml')));
    expect(report.redFlag.all.ok).toBe(report.redFlag.all.total);
    expect(ratio(report.inScope.all)).toBeGreaterThanOrEqual(0.9);
    expect(ratio(report.outOfScope.all)).toBeGreaterThanOrEqual(0.93);
  });

  it('scores a reply against every reply the label allows', async () => {
    const parts = await realDecisionParts();
    const question = 'Do you validate parking?';
    const score = (expect: string) => evaluate(parts, [{ text: question, lang: 'en', expect }]);
    // Not covered by the content: the bot refuses, which a label that allows a refusal takes as right.
    expect(score('choosing-practitioner|out-of-scope').inScope.all).toEqual({ ok: 1, total: 1 });
    expect(score('choosing-practitioner|partial:choosing-practitioner').inScope.all).toEqual({ ok: 1, total: 1 });
    expect(score('choosing-practitioner').inScope.all).toEqual({ ok: 0, total: 1 });
    expect(score('out-of-scope').outOfScope.all).toEqual({ ok: 1, total: 1 });
  });

  it('has enough cases of every kind to mean something', () => {
    const cases = readEvalCases(path.join(__dirname, 'heldout.yaml'));
    expect(cases.length).toBeGreaterThanOrEqual(150);
    expect(cases.filter((c) => c.lang === 'es').length).toBeGreaterThanOrEqual(40);
    expect(cases.filter((c) => c.expect === 'out-of-scope').length).toBeGreaterThanOrEqual(25);
    expect(cases.filter((c) => c.expect === 'red-flag').length).toBeGreaterThanOrEqual(20);
  });
});
