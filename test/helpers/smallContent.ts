import { parse, stringify } from 'yaml';
import { ContentFiles, readContentDir } from '../../core/content/contentFiles';
import { CONTENT_DIR } from './content';

/** The entries the small content keeps: enough for answers, did-you-mean and the menu. */
export const SMALL_ENTRIES = ['what-is-microneedling', 'pain', 'numbing', 'downtime'] as const;

/** Out-of-scope examples kept per category and language. */
const EXAMPLES_PER_CATEGORY = 6;

let cached: ContentFiles | undefined;

/**
 * The repository's content cut down to a few FAQ entries (every reference to the others
 * removed): valid for content:check, and its matcher trains in a fraction of the time.
 */
export function smallContent(): ContentFiles {
  if (cached) return { ...cached };
  const files = readContentDir(CONTENT_DIR);
  const keep = new Set<string>(SMALL_ENTRIES);
  const faq = parse(files['faq.yaml']) as { entries: { id: string; related: string[] }[] };
  faq.entries = faq.entries
    .filter((e) => keep.has(e.id))
    .map((e) => ({ ...e, related: e.related.filter((r) => keep.has(r)) }));
  const menu = parse(files['menu.yaml']) as { welcome: string[] };
  menu.welcome = menu.welcome.filter((m) => m.startsWith('flow:') || keep.has(m));
  const walkthrough = parse(files['walkthrough.yaml']) as { stages: { steps: string[] }[] };
  for (const stage of walkthrough.stages)
    stage.steps = stage.steps
      .filter((s) => keep.has(s))
      .concat(['pain'])
      .slice(0, 1);
  const scope = parse(files['scope.yaml']) as {
    outOfScope: { en: string[]; es: string[] }[];
    notCovered: { entry?: string }[];
  };
  for (const category of scope.outOfScope) {
    category.en = category.en.slice(0, EXAMPLES_PER_CATEGORY);
    category.es = category.es.slice(0, EXAMPLES_PER_CATEGORY);
  }
  for (const topic of scope.notCovered) if (topic.entry !== undefined && !keep.has(topic.entry)) delete topic.entry;
  const aftercare = parse(files['aftercare.yaml']) as { symptoms: { entry?: string }[] };
  for (const symptom of aftercare.symptoms)
    if (symptom.entry !== undefined && !keep.has(symptom.entry)) delete symptom.entry;
  cached = {
    ...files,
    'aftercare.yaml': stringify(aftercare, { lineWidth: 0 }),
    'faq.yaml': stringify(faq, { lineWidth: 0 }),
    'menu.yaml': stringify(menu),
    'walkthrough.yaml': stringify(walkthrough),
    'scope.yaml': stringify(scope, { lineWidth: 0 }),
  };
  return { ...cached };
}

/** A test clock after every `reviewed:` date in content/, so the check finds none in the future. */
export const AFTER_REVIEWS = new Date('2027-06-01T09:00:00Z');
