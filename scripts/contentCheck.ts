/**
 * Checks everything staff can edit in content/ and explains each problem in plain words.
 * Usage: npm run content:check [-- --dir content --max-review-age-days 365]
 * Exit code 1 when there are errors; warnings are listed but do not fail.
 */
import * as path from 'node:path';
import { checkContent } from '../core/content/contentCheck';
import { formatProblem } from '../core/content/contentLoader';

const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const dir = path.resolve(arg('dir') ?? 'content');
const report = checkContent(dir, { maxReviewAgeDays: Number(arg('max-review-age-days') ?? 365), now: new Date() });

console.log(`Checking ${arg('dir') ?? 'content'}/`);
if (report.errors.length > 0) {
  console.log(`\n✗ ${report.errors.length} error(s) — the bot will not load this content until they are fixed:`);
  for (const p of report.errors) console.log(formatProblem(p));
}
if (report.warnings.length > 0) {
  console.log(`\n⚠ ${report.warnings.length} warning(s) — the content works, but these need a look:`);
  for (const p of report.warnings) console.log(formatProblem(p));
}
if (report.errors.length === 0 && report.counts) {
  const c = report.counts;
  console.log(
    `\n✓ content is valid: ${c.entries} entries, ${c.phrasings} phrasings, ${c.sources} sources (version ${c.version})`,
  );
}
process.exitCode = report.errors.length > 0 ? 1 : 0;
