/**
 * Builds the real-world evaluation sets from the gathered questions (test/eval/realworld/parts/*.yaml):
 * every site goes whole to one side, chosen by a hash of its name, so the held-out set never
 * shares a site's wording with the development set. Usage: npm run eval:split
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { EvalCase, EvalSource, readEvalFile } from '../core/evaluation/heldoutEvaluation';
import { normalizeText } from '../core/text/normalize';

const DIR = path.resolve('test/eval/realworld');
/** Share of sites that go to the held-out set. */
const HELD_OUT_SHARE = 0.5;

function heldOut(site: string): boolean {
  const h = createHash('sha256').update(`realworld-split-v1:${site}`).digest();
  return h.readUInt32BE(0) / 0x1_0000_0000 < HELD_OUT_SHARE;
}

function main(): void {
  const sources: EvalSource[] = [];
  const cases: EvalCase[] = [];
  for (const file of fs
    .readdirSync(path.join(DIR, 'parts'))
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    const part = readEvalFile(path.join(DIR, 'parts', file));
    sources.push(...(part.sources ?? []));
    cases.push(...part.cases);
  }
  const siteOf = new Map(sources.map((s) => [s.id, s.site.replace(/^www\./, '').toLowerCase()]));
  const sides = {
    dev: { sources: [] as EvalSource[], cases: [] as EvalCase[] },
    heldout: { sources: [] as EvalSource[], cases: [] as EvalCase[] },
  };
  for (const s of sources) sides[heldOut(siteOf.get(s.id) ?? s.id) ? 'heldout' : 'dev'].sources.push(s);
  // The same wording on two sites (a common FAQ heading) is kept once, on the development side,
  // so the held-out set never holds a question the development set has.
  const seen = new Set<string>();
  const ordered = [...cases].sort(
    (a, b) => Number(heldOut(siteOf.get(a.source ?? '') ?? '')) - Number(heldOut(siteOf.get(b.source ?? '') ?? '')),
  );
  for (const c of ordered) {
    const key = normalizeText(c.text);
    if (seen.has(key)) continue;
    seen.add(key);
    sides[heldOut(siteOf.get(c.source ?? '') ?? '') ? 'heldout' : 'dev'].cases.push(c);
  }
  for (const [name, side] of Object.entries(sides)) {
    const header =
      name === 'heldout'
        ? '# Real-world HELD-OUT set: never tune on it, never read its failures while tuning, ' +
          'never copy its wording into content/.\n'
        : '# Real-world development set: its failures may be read while improving the matcher ' +
          '(never copy its wording into content/).\n';
    const body = stringify(
      { version: 1, sources: side.sources, cases: side.cases },
      { lineWidth: 0, flowCollectionPadding: false },
    );
    fs.writeFileSync(
      path.join(DIR, `${name}.yaml`),
      `${header}# Made by npm run eval:split from parts/ (whole sites to one side).\n${body}`,
    );
    const es = side.cases.filter((c) => c.lang === 'es').length;
    const flags = side.cases.filter((c) => c.expect === 'red-flag').length;
    console.log(
      `${name}: ${side.cases.length} cases from ${side.sources.length} sources (${es} in Spanish, ${flags} red flags)`,
    );
  }
}

main();
