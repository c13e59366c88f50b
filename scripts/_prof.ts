import { MemoryStorage, TestAdapter } from 'botbuilder';
import pino from 'pino';
import { performance } from 'node:perf_hooks';
import { createBot } from '../bot/createBot';
import { createLocalizer } from '../bot/i18n';
import { ConsultationEngine } from '../core/consultation/consultationEngine';
import { loadContent } from '../core/content/contentLoader';
(async () => {
  const i18n = await createLocalizer('locales', true);
  const engine = new ConsultationEngine(loadContent('content'), i18n.commands);
  const msgs = ['does microneedling hurt?','how long will my face be red after','cuántas sesiones necesito','how much does it cost','there is pus on my cheek'];
  const { bot } = createBot({ engine: () => engine, i18n, storage: new MemoryStorage(), log: pino({ level: 'silent' }), maxMessageChars: 2000, defaultLang: 'en' });
  const adapter = new TestAdapter((c) => bot.run(c));
  for (let i=0;i<2000;i++){ const a = adapter.makeActivity(msgs[i%5]); await adapter.processActivity(a); }
  let t = performance.now(); for (let i=0;i<20000;i++){ const a = adapter.makeActivity(msgs[i%5]); await adapter.processActivity(a); } console.log('bot turn', ((performance.now()-t)/20000).toFixed(3), 'ms');
  t = performance.now(); for (let i=0;i<20000;i++) engine.respond(msgs[i%5], 'en'); console.log('engine.respond', ((performance.now()-t)/20000).toFixed(3), 'ms');
})();
