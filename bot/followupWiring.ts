import { DeliveryOutcome, OutgoingMessage, PatientMessenger } from '../core/proactive/patientMessenger';
import { KeyValueStore } from '../core/storage/keyValueStore';
import { StoreCatalog } from '../core/storage/storeCatalog';

/**
 * The messenger of parts built before the channels are (the scheduler is handed to the bot, the
 * channels' adapter and web chat come after it): it forwards to the real one once set.
 */
export class LateMessenger implements PatientMessenger {
  private target: PatientMessenger | undefined;

  use(target: PatientMessenger): void {
    this.target = target;
  }

  deliver(addressKey: string, messages: readonly OutgoingMessage[]): Promise<DeliveryOutcome> {
    return this.target
      ? this.target.deliver(addressKey, messages)
      : Promise.resolve({ kind: 'failed', error: 'channels not ready' });
  }
}

/**
 * Create-only writes on a store without a catalog (STATE_STORE=memory: one process, tests): a read
 * then a write, serialised in this process, which is all that store is shared with.
 */
export class InProcessCatalog implements Pick<StoreCatalog, 'createIfAbsent'> {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly store: KeyValueStore) {}

  createIfAbsent(key: string, item: Record<string, unknown>): Promise<boolean> {
    const run = this.queue.then(async () => {
      if ((await this.store.read([key]))[key]) return false;
      await this.store.write({ [key]: { ...item } });
      return true;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}
