import { z } from 'zod';
import { isETagConflict, KeyValueStore } from '../storage/keyValueStore';
import { StoreCatalog } from '../storage/storeCatalog';
import { Lang } from '../text/language';
import { FOLLOWUP_PROGRAMS, FollowupProgram, FollowupStoreError } from './followupJobs';

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const FollowupConsentSchema = z.object({
  addressKey: z.string(),
  program: z.enum(FOLLOWUP_PROGRAMS),
  /** When the patient said yes (the latest yes, if they said it again). */
  givenAt: z.iso.datetime(),
  /** The channel they said it on (msteams, directline, webchat…). */
  channel: z.string().max(64),
  /** The language they said it in: the check-ins go out in it. */
  lang: z.enum(['en', 'es']),
  /** The zone sending hours are judged in: theirs, or the clinic's when the channel gave none. */
  timeZone: z.string(),
  treatmentDate: isoDay,
  /** The patient said stop: nothing more is sent until they say yes again. */
  withdrawnAt: z.iso.datetime().optional(),
  /** Every job ever planned under this consent, so "forget me" finds them all. */
  jobIds: z.array(z.string()).default([]),
  /** The patient's local day of the latest check-in and the job that took it: at most one a day. */
  lastCheckIn: z.object({ day: isoDay, jobId: z.string() }).optional(),
});
export type FollowupConsent = z.infer<typeof FollowupConsentSchema>;

export interface ConsentGiven {
  addressKey: string;
  program: FollowupProgram;
  channel: string;
  lang: Lang;
  timeZone: string;
  treatmentDate: string;
  jobIds: readonly string[];
}

/** claimed: this job may go today; taken: another check-in went today; withdrawn: no consent (any more). */
export type DayClaim = 'claimed' | 'taken' | 'withdrawn';

const PREFIX = 'followups/consent/';
const MAX_CONFLICT_RETRIES = 100;

/**
 * The explicit yes to follow-ups, one record per patient conversation (`followups/consent/<addressKey>`),
 * with when, on which channel and in which language it was given; withdrawn by opt-out, deleted
 * by "forget me". It also holds the patient's daily check-in slot, claimed with its eTag, so two
 * instances never send one patient two check-ins on the same local day.
 */
export class FollowupConsents {
  constructor(
    private readonly store: KeyValueStore,
    private readonly catalog: Pick<StoreCatalog, 'createIfAbsent'>,
  ) {}

  static key(addressKey: string): string {
    return PREFIX + addressKey;
  }

  async get(addressKey: string): Promise<FollowupConsent | undefined> {
    return (await this.read(addressKey))?.consent;
  }

  /** Records a yes (again): withdrawal cleared, jobs added to the ones kept; returns the record before it. */
  async record(given: ConsentGiven, at: Date): Promise<{ consent: FollowupConsent; previous?: FollowupConsent }> {
    const fresh = (previous?: FollowupConsent): FollowupConsent => ({
      addressKey: given.addressKey,
      program: given.program,
      givenAt: at.toISOString(),
      channel: given.channel,
      lang: given.lang,
      timeZone: given.timeZone,
      treatmentDate: given.treatmentDate,
      jobIds: [...new Set([...(previous?.jobIds ?? []), ...given.jobIds])],
      lastCheckIn: previous?.lastCheckIn,
    });
    for (let i = 0; i < MAX_CONFLICT_RETRIES; i++) {
      const found = await this.read(given.addressKey);
      const consent = fresh(found?.consent);
      if (await this.write(consent, found?.eTag, !found)) return { consent, previous: found?.consent };
    }
    throw new FollowupStoreError('could not record a follow-up consent: too many concurrent changes');
  }

  /** Opt-out: the consent stays on record as withdrawn (when, and that it was given before). */
  async withdraw(addressKey: string, at: Date): Promise<FollowupConsent | undefined> {
    return this.update(addressKey, (c) => (c.withdrawnAt ? undefined : { ...c, withdrawnAt: at.toISOString() }));
  }

  /** Takes the patient's check-in slot for a local day for this job (again, after a crash, if it already has it). */
  async claimDay(addressKey: string, day: string, jobId: string): Promise<DayClaim> {
    let claim: DayClaim = 'withdrawn';
    await this.update(addressKey, (c) => {
      if (c.withdrawnAt) claim = 'withdrawn';
      else if (c.lastCheckIn?.day === day) claim = c.lastCheckIn.jobId === jobId ? 'claimed' : 'taken';
      else {
        claim = 'claimed';
        return { ...c, lastCheckIn: { day, jobId } };
      }
      return undefined;
    });
    return claim;
  }

  async forget(addressKey: string): Promise<void> {
    await this.store.delete([FollowupConsents.key(addressKey)]);
  }

  private async update(
    addressKey: string,
    change: (c: FollowupConsent) => FollowupConsent | undefined,
  ): Promise<FollowupConsent | undefined> {
    for (let i = 0; i < MAX_CONFLICT_RETRIES; i++) {
      const found = await this.read(addressKey);
      if (!found?.consent) return undefined;
      const next = change(found.consent);
      if (!next) return found.consent;
      if (await this.write(next, found.eTag, false)) return next;
    }
    throw new FollowupStoreError('could not update a follow-up consent: too many concurrent changes');
  }

  /** Create-only when `create`, else only over the version read (eTag); false on a conflict. */
  private async write(consent: FollowupConsent, eTag: string | undefined, create: boolean): Promise<boolean> {
    const value = JSON.parse(JSON.stringify(consent)) as Record<string, unknown>;
    if (create) return this.catalog.createIfAbsent(FollowupConsents.key(consent.addressKey), value);
    try {
      await this.store.write({ [FollowupConsents.key(consent.addressKey)]: { ...value, eTag } });
      return true;
    } catch (err) {
      if (isETagConflict(err)) return false;
      throw err;
    }
  }

  /** Undefined when there is no record; `consent` undefined when one is there but unreadable (replaced by a yes). */
  private async read(addressKey: string): Promise<{ consent?: FollowupConsent; eTag?: string } | undefined> {
    const key = FollowupConsents.key(addressKey);
    const item = (await this.store.read([key]))[key];
    if (!item) return undefined;
    const { eTag, ...rest } = item;
    const parsed = FollowupConsentSchema.safeParse(rest);
    return { consent: parsed.success ? parsed.data : undefined, eTag };
  }
}
