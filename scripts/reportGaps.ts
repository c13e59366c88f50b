/**
 * What patients asked that nobody answered: fallbacks, low-confidence answers and answers marked
 * unhelpful, grouped by similarity with counts, newest first. Contact details were removed when
 * the questions were recorded. Reads the gap log in STATE_STORE (what the retention sweep has
 * not deleted yet: RETENTION_GAPS_DAYS), and a DATA_DIR/gaps.jsonl an older version left that the
 * bot has not moved into the store yet.
 * Usage: npm run report:gaps [-- --limit 50 --json]
 */
import { legacyGapsFile, storeCatalog, storeGapStore } from '../bot/dataRetention';
import { createStorage } from '../bot/storage';
import { loadConfig } from '../core/config';
import { FileGapStore } from '../core/gaps/gapLog';
import { formatGapReport, GapRecord, groupGaps } from '../core/gaps/gapReport';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const limitAt = args.indexOf('--limit');
  const config = loadConfig({ ...process.env, NODE_ENV: 'development', MicrosoftAppId: '' });
  const store = createStorage(config.state);
  let records: GapRecord[];
  try {
    const kept = await storeGapStore(config, store.storage, storeCatalog(config.state, store.storage)).all();
    const ids = new Set(kept.map((r) => r.id));
    const notMoved = (await new FileGapStore(legacyGapsFile(config.dataDir)).all()).filter((r) => !ids.has(r.id));
    records = [...notMoved, ...kept];
  } finally {
    store.close();
  }
  const groups = groupGaps(records);
  if (args.includes('--json')) {
    console.log(JSON.stringify(groups, null, 2));
    return;
  }
  console.log(
    `${records.length} question(s) in ${groups.length} group(s) from the ${store.kind} store ` +
      `(kept for ${config.retention.gapsDays} days)\n`,
  );
  console.log(formatGapReport(groups, { limit: limitAt >= 0 ? Number(args[limitAt + 1]) : 50 }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
