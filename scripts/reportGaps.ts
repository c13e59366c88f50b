/**
 * What patients asked that nobody answered: fallbacks, low-confidence answers and answers marked
 * unhelpful, grouped by similarity with counts, newest first. Contact details were removed when
 * the questions were recorded.
 * Usage: npm run report:gaps [-- --limit 50 --json]
 */
import { gapsFile } from '../bot/app';
import { loadConfig } from '../core/config';
import { FileGapStore } from '../core/gaps/gapLog';
import { formatGapReport, groupGaps } from '../core/gaps/gapReport';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const limitAt = args.indexOf('--limit');
  const config = loadConfig({ ...process.env, NODE_ENV: 'development', MicrosoftAppId: '' });
  const file = gapsFile(config.dataDir);
  const records = await new FileGapStore(file).all();
  const groups = groupGaps(records);
  if (args.includes('--json')) {
    console.log(JSON.stringify(groups, null, 2));
    return;
  }
  console.log(`${records.length} question(s) in ${groups.length} group(s) from ${file}\n`);
  console.log(formatGapReport(groups, { limit: limitAt >= 0 ? Number(args[limitAt + 1]) : 50 }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
