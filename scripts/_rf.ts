import { realContent } from '../test/helpers/content';
(async () => {
  const { engine } = await realContent();
  for (const t of process.argv.slice(2)) { const r = engine.checkRedFlags(t, 'en'); console.log(r ? `FLAG ${r.level} ${r.signs}` : 'quiet', '|', t); }
})();
