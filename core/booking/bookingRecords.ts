import { KeyValueStore, ListableStore } from '../storage/keyValueStore';
import { BookingOutbox, OutboxRecord } from './outbox';

function isListable(store: KeyValueStore): store is ListableStore {
  return 'keys' in store && typeof store.keys === 'function';
}

/**
 * Every kept request when the store can list its keys (older finished ones, and any the index
 * missed); otherwise the outbox's own listing (open and the latest finished ones).
 */
export async function readBookingRecords(
  store: KeyValueStore,
  outbox: BookingOutbox,
): Promise<{ records: OutboxRecord[]; unreadable: number }> {
  if (!isListable(store)) return { records: await outbox.listing(), unreadable: 0 };
  const prefix = BookingOutbox.recordKey('');
  const ids = (await store.keys(prefix)).map((key) => key.slice(prefix.length));
  const records: OutboxRecord[] = [];
  let unreadable = 0;
  for (const id of ids) {
    try {
      const record = await outbox.get(id);
      if (record) records.push(record);
    } catch {
      unreadable++;
    }
  }
  return { records, unreadable };
}
