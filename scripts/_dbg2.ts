import { realDecisionParts } from '../test/helpers/content';
(async () => {
  const parts = await realDecisionParts();
  const t = process.argv[2];
  console.log(JSON.stringify(parts.engine.answerQuestion(t, 'en'), (k, v) => (k === 'related' || k === 'sources' || k==='text' ? undefined : k === 'entry' || k==='options' ? (Array.isArray(v) ? v.map((e: {id: string}) => e.id) : v.id) : v)));
  console.log(JSON.stringify(parts.engine.faqMatcher.match(t, 'en')).slice(0, 300));
})();
