import { z } from 'zod';
import { isETagConflict, KeyValueStore } from '../storage/keyValueStore';
import { StoreCatalog } from '../storage/storeCatalog';

const LeaseSchema = z.object({
  owner: z.string(),
  /** Nobody else sweeps before this time, unless the owner finishes first. */
  until: z.iso.datetime(),
  /** When the last sweep finished, so instances sweep in turn rather than each on its own timer. */
  lastRunAt: z.iso.datetime().optional(),
});
type Lease = z.infer<typeof LeaseSchema>;

/**
 * One item in the shared store says which instance sweeps now and when a sweep last finished.
 * Every change is eTag-checked (the first one create-only), so of several instances asking at
 * the same moment exactly one gets it.
 */
export class SweepLease {
  constructor(
    private readonly store: KeyValueStore,
    private readonly catalog: Pick<StoreCatalog, 'createIfAbsent'>,
    private readonly key: string,
    private readonly now: () => Date,
  ) {}

  /** Takes the lease when the last sweep is at least `everyMs` old and nobody holds it; false otherwise. */
  async claim(owner: string, leaseMs: number, everyMs: number): Promise<boolean> {
    const at = this.now();
    const found = await this.read();
    const lease: Lease = { owner, until: new Date(at.getTime() + leaseMs).toISOString() };
    if (!found) return this.catalog.createIfAbsent(this.key, lease);
    const { current, eTag } = found;
    if (current.owner !== owner && Date.parse(current.until) > at.getTime()) return false;
    if (current.lastRunAt && at.getTime() - Date.parse(current.lastRunAt) < everyMs) return false;
    return this.replace({ ...lease, lastRunAt: current.lastRunAt }, eTag);
  }

  /** Extends the lease during a long sweep; false when another instance has it (the sweep then stops). */
  async renew(owner: string, leaseMs: number): Promise<boolean> {
    const found = await this.read();
    if (!found || found.current.owner !== owner) return false;
    const until = new Date(this.now().getTime() + leaseMs).toISOString();
    return this.replace({ ...found.current, until }, found.eTag);
  }

  /** Frees the lease; `completed` records the sweep as done, so the next is due `everyMs` from now. */
  async release(owner: string, completed: boolean): Promise<void> {
    const found = await this.read();
    if (!found || found.current.owner !== owner) return;
    const at = this.now().toISOString();
    await this.replace({ owner, until: at, lastRunAt: completed ? at : found.current.lastRunAt }, found.eTag);
  }

  private async read(): Promise<{ current: Lease; eTag?: string } | undefined> {
    const item = (await this.store.read([this.key]))[this.key];
    if (!item) return undefined;
    const { eTag, ...rest } = item;
    const parsed = LeaseSchema.safeParse(rest);
    // An unreadable lease is treated as expired and replaced.
    return { current: parsed.success ? parsed.data : { owner: '', until: new Date(0).toISOString() }, eTag };
  }

  private async replace(lease: Lease, eTag: string | undefined): Promise<boolean> {
    try {
      await this.store.write({ [this.key]: { ...stripUndefined(lease), eTag } });
      return true;
    } catch (err) {
      if (isETagConflict(err)) return false;
      throw err;
    }
  }
}

function stripUndefined(lease: Lease): Lease {
  return lease.lastRunAt === undefined ? { owner: lease.owner, until: lease.until } : lease;
}
