import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadContent } from '../../../core/content/contentLoader';
import { FollowupCheckIn } from '../../../core/content/schemas';
import { FollowupContent } from '../../../core/followups/followupPlan';
import { Every, FollowupScheduler, FollowupSchedulerOptions } from '../../../core/followups/followupScheduler';
import { DeliveryOutcome, OutgoingMessage, PatientMessenger } from '../../../core/proactive/patientMessenger';
import { SqliteStorage } from '../../../core/storage/sqliteStorage';
import { CONTENT_DIR } from '../../helpers/content';

/** The repository's own follow-up content and clinic (New York), loaded once. */
const real = loadContent(CONTENT_DIR);

export function followupContent(change: { clinicZone?: string; checkIns?: FollowupCheckIn[] } = {}): FollowupContent {
  return {
    clinic: { ...real.clinic, timeZone: change.clinicZone ?? real.clinic.timeZone },
    followups: { ...real.followups, checkIns: change.checkIns ?? real.followups.checkIns },
  };
}

/** A check-in on `day` with the texts of the first one (for plans with other days). */
export function checkInOn(day: number): FollowupCheckIn {
  return { ...real.followups.checkIns[0], id: `day-${day}`, day };
}

export interface Delivery {
  addressKey: string;
  messages: readonly OutgoingMessage[];
  at: string;
}

/** A messenger that records each delivery and answers what the test says (sent by default). */
export class FakeMessenger implements PatientMessenger {
  readonly deliveries: Delivery[] = [];
  answer: (addressKey: string) => DeliveryOutcome | Promise<DeliveryOutcome> = () => ({ kind: 'sent' });

  constructor(private readonly now: () => Date) {}

  async deliver(addressKey: string, messages: readonly OutgoingMessage[]): Promise<DeliveryOutcome> {
    this.deliveries.push({ addressKey, messages, at: this.now().toISOString() });
    // Lets other instances' work run in between, as a network call would.
    await Promise.resolve();
    return this.answer(addressKey);
  }

  /** How many deliveries went to one patient. */
  countFor(addressKey: string): number {
    return this.deliveries.filter((d) => d.addressKey === addressKey).length;
  }
}

/** A clock the test moves by hand. */
export class TestClock {
  constructor(public ms: number) {}
  readonly now = (): Date => new Date(this.ms);
  set(iso: string): void {
    this.ms = Date.parse(iso);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** An `every` that never fires by itself: the test calls `tick()`. */
export class ManualTimer {
  ticks: (() => void)[] = [];
  cancelled = 0;
  readonly every: Every = (_ms, tick) => {
    this.ticks.push(tick);
    return () => {
      this.cancelled += 1;
      this.ticks = this.ticks.filter((t) => t !== tick);
    };
  };
}

/** A temporary sqlite file that several "instances" can open, as processes sharing one store would. */
export function tempStoreFile(): { file: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'followups-'));
  return { file: path.join(dir, 'state.sqlite'), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function schedulerOn(
  store: SqliteStorage,
  clock: TestClock,
  messenger: PatientMessenger,
  options: Partial<FollowupSchedulerOptions> = {},
): FollowupScheduler {
  return new FollowupScheduler({
    store,
    catalog: store,
    messenger,
    content: () => followupContent(),
    owner: 'instance-a',
    now: clock.now,
    every: new ManualTimer().every,
    ...options,
  });
}
