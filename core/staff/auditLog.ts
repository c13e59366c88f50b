import { z } from 'zod';
import { isETagConflict, KeyValueStore } from '../storage/keyValueStore';

export const AUDIT_ACTIONS = [
  'sign-in',
  'sign-in-failed',
  'sign-out',
  'content-publish',
  'content-rollback',
  'content-import',
  'account-add',
  'account-change',
  'account-remove',
  'booking-status',
  'gap-status',
  'handoff',
] as const;

const AuditEntrySchema = z.object({
  at: z.string(),
  /** Who did it: a staff email, or "npm run staff" for the command line. */
  actor: z.string(),
  action: z.enum(AUDIT_ACTIONS),
  /** What it was done to: a version, an account, a request's short id. Never patient details. */
  target: z.string().optional(),
  detail: z.string().optional(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

const MonthSchema = z.object({ entries: z.array(AuditEntrySchema) });

/**
 * Who did what and when, one append-only item per month. Nothing in the console edits or deletes
 * it; admins read it.
 */
export class AuditLog {
  /** This instance's appends, one after another (a month's first two entries must not race to create it). */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: KeyValueStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  record(entry: Omit<AuditEntry, 'at'>): Promise<void> {
    const next = this.queue.then(() => this.append(entry));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async append(entry: Omit<AuditEntry, 'at'>): Promise<void> {
    const at = this.now();
    const key = monthKey(at);
    const full: AuditEntry = { at: at.toISOString(), ...entry };
    for (let attempt = 0; ; attempt++) {
      const item = (await this.store.read([key]))[key];
      const entries = item ? MonthSchema.parse(item).entries : [];
      try {
        await this.store.write({ [key]: { entries: [...entries, full], eTag: item?.eTag } });
        return;
      } catch (err) {
        if (!isETagConflict(err) || attempt >= 8) throw err;
      }
    }
  }

  /** The entries of the last `months` calendar months, newest first. */
  async recent(months = 3): Promise<AuditEntry[]> {
    const at = this.now();
    const keys = Array.from({ length: months }, (_, i) =>
      monthKey(new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() - i, 1))),
    );
    const items = await this.store.read(keys);
    return keys
      .flatMap((key) => (items[key] ? MonthSchema.parse(items[key]).entries : []))
      .sort((a, b) => b.at.localeCompare(a.at));
  }
}

function monthKey(at: Date): string {
  return `staff/audit/${at.toISOString().slice(0, 7)}`;
}
