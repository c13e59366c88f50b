import { Storage } from 'botbuilder';
import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { BookingOutbox } from '../core/booking/outbox';
import { AppConfig } from '../core/config';
import { FileGapStore, GapStore } from '../core/gaps/gapLog';
import { StoreGapStore } from '../core/gaps/storeGapStore';
import { Log } from '../core/log';
import { RetentionSchedule } from '../core/retention/retentionSchedule';
import { RetentionSweep, SweepResult } from '../core/retention/retentionSweep';
import { BlobCatalog } from '../core/storage/blobCatalog';
import { SqliteStorage } from '../core/storage/sqliteStorage';
import { StoreCatalog } from '../core/storage/storeCatalog';

/** A sweep is due this often across all instances; each instance looks every 10 minutes. */
const SWEEP_EVERY_MS = 3_600_000;
const CHECK_EVERY_MS = 600_000;
/** The first look waits for start-up (content training, pending bookings) to settle. */
const FIRST_CHECK_AFTER_MS = 60_000;

export interface DataRetention {
  /** Where the gap recorder writes. */
  gaps: GapStore;
  /** Runs a sweep now; undefined when the store cannot be swept, another instance sweeps, or none is due. */
  sweepNow(): Promise<SweepResult | undefined>;
  /** Moves a gaps.jsonl left by an older version into the store, then sweeps on a timer. */
  start(): void;
  stop(): Promise<void>;
}

/** The file older versions kept gap records in (DATA_DIR/gaps.jsonl); read once, into the store. */
export function legacyGapsFile(dataDir: string): string {
  return path.join(dataDir, 'gaps.jsonl');
}

/**
 * What can list and conditionally delete in the state store: the sqlite store itself, or Azure
 * Blob's container listing (BlobsStorage cannot list). Undefined for the memory store (tests).
 */
export function storeCatalog(state: AppConfig['state'], storage: Storage): StoreCatalog | undefined {
  if (storage instanceof SqliteStorage) return storage;
  if (state.store === 'azure-blob') return new BlobCatalog(state.connectionString, state.container);
  return undefined;
}

/** The gap log in STATE_STORE: shared by every instance, read by `npm run report:gaps`. */
export function storeGapStore(config: AppConfig, storage: Storage, catalog?: StoreCatalog): StoreGapStore {
  return new StoreGapStore(storage, { days: config.retention.gapsDays, catalog });
}

/** The gap log and the retention sweep of one service instance. */
export function createDataRetention(options: {
  config: AppConfig;
  storage: Storage;
  /** False when tests handed the app their own store: its kind is not what STATE_STORE says. */
  storeFromConfig: boolean;
  outbox: BookingOutbox;
  log: Log;
  gaps?: GapStore;
}): DataRetention {
  const { config, storage, outbox, log } = options;
  const catalog =
    options.storeFromConfig || storage instanceof SqliteStorage ? storeCatalog(config.state, storage) : undefined;
  const gaps = options.gaps ?? storeGapStore(config, storage, catalog);
  const schedule = catalog
    ? new RetentionSchedule(
        new RetentionSweep(storage, catalog, outbox, config.retention, {
          owner: `${os.hostname()}/${process.pid}/${randomUUID()}`,
          everyMs: SWEEP_EVERY_MS,
        }),
        log,
        { firstAfterMs: FIRST_CHECK_AFTER_MS, checkEveryMs: CHECK_EVERY_MS },
      )
    : undefined;
  // Tests never touch a data folder they may share with a developer's bot; a test store has no old file.
  const importLegacy = !options.gaps && catalog !== undefined && config.env !== 'test';
  let importing: Promise<void> = Promise.resolve();

  return {
    gaps,
    sweepNow: () => schedule?.runNow() ?? Promise.resolve(undefined),
    start() {
      if (importLegacy) importing = importLegacyGaps(legacyGapsFile(config.dataDir), gaps, log);
      if (!schedule) {
        log.info(
          { event: 'retention-off', stateStore: config.state.store },
          'no retention sweep: the memory store keeps nothing past a restart',
        );
      }
      schedule?.start();
    },
    async stop() {
      await schedule?.stop();
      await importing;
    },
  };
}

async function importLegacyGaps(file: string, gaps: GapStore, log: Log): Promise<void> {
  try {
    const moved = await new FileGapStore(file).moveTo(gaps);
    if (moved > 0)
      log.info(
        { event: 'gaps-imported', records: moved },
        'moved gaps.jsonl into the state store and deleted the file',
      );
  } catch (err) {
    log.warn(
      { event: 'gaps-import-failed', error: err instanceof Error ? err.name : typeof err },
      'could not move gaps.jsonl into the state store; it is kept and tried again at the next start',
    );
  }
}
