import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ContentError, loadContent } from '../../../core/content/contentLoader';
import { fillClinicDetails } from '../../../core/content/templates';
import { CONTENT_DIR, ROOT, realContent } from '../../helpers/content';

const copies: string[] = [];
afterAll(() => copies.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function brokenCopy(file: string, edit: (text: string) => string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'content-'));
  copies.push(dir);
  fs.cpSync(CONTENT_DIR, dir, { recursive: true });
  fs.writeFileSync(path.join(dir, file), edit(fs.readFileSync(path.join(dir, file), 'utf8')));
  return dir;
}

function problemsOf(dir: string): string {
  try {
    loadContent(dir);
  } catch (err) {
    if (err instanceof ContentError) return err.message;
    throw err;
  }
  return '';
}

describe('the curated content', () => {
  it('loads and validates', async () => {
    const { content } = await realContent();
    expect(content.faq.length).toBeGreaterThanOrEqual(50);
    expect(content.version).toMatch(/^[0-9a-f]{12}$/);
  });

  it('has an entry for every id of the shared taxonomy (docs/faq-ids.md)', async () => {
    const { content } = await realContent();
    const ids = [...fs.readFileSync(path.join(ROOT, 'docs', 'faq-ids.md'), 'utf8').matchAll(/^\| ([a-z0-9-]+) \|/gm)]
      .map((m) => m[1])
      .filter((id) => id !== 'id');
    expect(ids.length).toBeGreaterThan(40);
    expect(ids.filter((id) => !content.faqById.has(id))).toEqual([]);
  });

  it('gives every entry a Spanish translation with as many facts (numbers) as the English', async () => {
    const { content } = await realContent();
    for (const e of content.faq) {
      const numbers = (t: string) => (t.match(/\d+/g) ?? []).sort().join(',');
      expect({ id: e.id, numbers: numbers(e.es.answer) }).toEqual({ id: e.id, numbers: numbers(e.en.answer) });
    }
  });

  it('names real sources for every answer and cites the clinic profile only for clinic details', async () => {
    const { content } = await realContent();
    for (const e of content.faq) {
      expect(e.sources.every((s) => content.sources.has(s))).toBe(true);
    }
    const seeds = [...content.sources.values()].filter((s) => s.kind === 'article');
    expect(seeds.length).toBeGreaterThanOrEqual(5);
  });

  it('leaves no unknown placeholder in any answer or guidance', async () => {
    const { content } = await realContent();
    const texts = [
      ...content.faq.flatMap((e) => [e.en.answer, e.es.answer]),
      ...Object.values(content.redFlags.guidance).flatMap((g) => [g.en, g.es]),
    ];
    for (const lang of ['en', 'es'] as const) {
      for (const t of texts)
        expect(fillClinicDetails(t, content.clinic, lang).replace('{{signs}}', '')).not.toMatch(/\{\{/);
    }
  });

  it('never tells a patient they are safe, and carries no vendor advertising', async () => {
    const { content } = await realContent();
    const answers = content.faq.flatMap((e) => [e.en.answer, e.es.answer]).join('\n');
    expect(answers).not.toMatch(/\byou are safe\b|\bit is safe for you\b|\beres apt[oa]\b/i);
    expect(answers).not.toMatch(/BELIS|Fusion Meso|Pen platinum|Skincare Experts/i);
  });

  it('marks the sample clinic profile as a sample', async () => {
    const { content } = await realContent();
    expect(content.clinic.sample).toBe(true);
  });

  it('reports a related id that does not exist, naming the file and entry', () => {
    const dir = brokenCopy('faq.yaml', (t) => t.replace(/related: \[/, 'related: [no-such-entry, '));
    expect(problemsOf(dir)).toMatch(
      /faq\.yaml:\d+ \(entries → ".+" → related → item 1\): related entry "no-such-entry" does not exist\n\s+fix: /,
    );
  });

  it('reports an aftercare symptom naming an FAQ entry that does not exist', () => {
    const dir = brokenCopy('aftercare.yaml', (t) => t.replace('entry: redness-duration', 'entry: how-red'));
    expect(problemsOf(dir)).toMatch(/aftercare\.yaml:\d+ \(symptoms → .+ → entry\): entry "how-red" does not exist/);
  });

  it('points at the line staff must change', () => {
    const dir = brokenCopy('faq.yaml', (t) => t.replace(/sources: \[/, 'sources: [made-up-source, '));
    const line =
      fs
        .readFileSync(path.join(dir, 'faq.yaml'), 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('made-up-source')) + 1;
    expect(problemsOf(dir)).toContain(`faq.yaml:${line} `);
  });

  it('reports a source that is not listed', () => {
    const dir = brokenCopy('faq.yaml', (t) => t.replace(/sources: \[/, 'sources: [made-up-source, '));
    expect(problemsOf(dir)).toMatch(/source "made-up-source" is not listed in sources\.yaml/);
  });

  it('reports broken YAML with the file name', () => {
    const dir = brokenCopy('clinic.yaml', (t) => `${t}\n  bad: [unclosed\n`);
    expect(problemsOf(dir)).toMatch(/clinic\.yaml:\d+: this is not valid YAML/);
  });

  it('reports a missing translation in words staff can act on', () => {
    const dir = brokenCopy('faq.yaml', (t) => t.replace(/\n {4}es:\n {6}title:/, '\n    es:\n      titulo:'));
    expect(problemsOf(dir)).toMatch(
      /faq\.yaml:\d+ \(entries → ".+" → es → title\).*\n\s+fix: add the missing "title" field/,
    );
  });

  it('reports the same phrasing in two entries', async () => {
    const { content } = await realContent();
    const phrasing = content.faq[0].en.questions[0];
    const dir = brokenCopy('faq.yaml', (t) =>
      t.replace(/\n {6}questions:\n/g, (m, offset: number) => (offset > 200 ? `${m}        - "${phrasing}"\n` : m)),
    );
    expect(problemsOf(dir)).toMatch(/is also in entry/);
  });

  it("reports a phrasing that is both an FAQ question and a guided conversation's", async () => {
    const { content } = await realContent();
    const phrasing = content.faqById.get('book-consultation')?.en.questions[0] ?? '';
    const dir = brokenCopy('flows.yaml', (t) =>
      t.replace('        - request a consultation\n', `        - request a consultation\n        - "${phrasing}"\n`),
    );
    expect(problemsOf(dir)).toMatch(/flows\.yaml:\d+ .*is also in entry "book-consultation" of faq\.yaml/);
  });
});

describe('the guided-conversation content', () => {
  it('says when to come back for every temporary reason, and names a basis for every rule', async () => {
    const { content } = await realContent();
    for (const q of content.screening.questions) {
      if (q.onYes === 'defer')
        expect({ id: q.id, en: q.en.comeBack, es: q.es.comeBack }).toEqual({
          id: q.id,
          en: expect.any(String),
          es: expect.any(String),
        });
      expect(q.basis.sources.length > 0 || q.basis.clinicPolicy).toBe(true);
    }
  });

  it('covers every screening topic the clinic asked for', async () => {
    const { content } = await realContent();
    expect(content.screening.questions.map((q) => q.id)).toEqual([
      'active-acne',
      'cold-sore',
      'skin-infection',
      'recent-actives',
      'antibiotics',
      'isotretinoin',
      'sunburn',
      'hair-removal',
      'pregnancy',
      'keloids',
      'bleeding',
      'immune',
      'numbing-allergy',
      'under-18',
    ]);
  });

  it('never tells a screened patient they are safe', async () => {
    const { content } = await realContent();
    const texts = Object.values(content.screening.outcomes)
      .flatMap((o) => [o.en, o.es])
      .join('\n');
    expect(texts).not.toMatch(/\byou are safe\b|\byou can have it\b|\beres apt[oa]\b|\bpuedes hacértelo\b/i);
  });

  it('has an aftercare timeline from the treatment day to two months', async () => {
    const { content } = await realContent();
    const phases = [...content.aftercare.phases].sort((a, b) => a.fromDay - b.fromDay);
    expect(phases[0].fromDay).toBe(0);
    expect(phases[phases.length - 1].toDay).toBeGreaterThanOrEqual(56);
  });

  it('reports a walkthrough step that is not an FAQ entry', () => {
    const dir = brokenCopy('walkthrough.yaml', (t) => t.replace('steps: [consultation,', 'steps: [no-such-step,'));
    expect(problemsOf(dir)).toMatch(
      /walkthrough\.yaml:\d+ \(stages → "before" → steps → item 1\): step "no-such-step" is not an entry in faq\.yaml/,
    );
  });

  it('reports aftercare phases that leave a gap', () => {
    const dir = brokenCopy('aftercare.yaml', (t) => t.replace(/fromDay: 3\b/, 'fromDay: 4'));
    expect(problemsOf(dir)).toMatch(
      /aftercare\.yaml:\d+ .*without gaps or overlaps\n\s+fix: start this phase on day 3/,
    );
  });
});
