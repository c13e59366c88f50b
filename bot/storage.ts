import { MemoryStorage, Storage } from 'botbuilder';
import { AppConfig } from '../core/config';
import { SqliteStorage } from '../core/storage/sqliteStorage';
import { CreateOnlyBlobsStorage } from './createOnlyBlobsStorage';

export interface StateStore {
  storage: Storage;
  /** What it is, for logs and /readyz (never the connection string). */
  kind: AppConfig['state']['store'];
  close(): void;
}

/** Opens the store STATE_STORE names: bot state, booking requests and delivery records all live in it. */
export function createStorage(state: AppConfig['state']): StateStore {
  switch (state.store) {
    case 'sqlite': {
      const storage = new SqliteStorage(state.sqlitePath);
      return { storage, kind: 'sqlite', close: () => storage.close() };
    }
    case 'azure-blob':
      return {
        storage: new CreateOnlyBlobsStorage(state.connectionString, state.container),
        kind: 'azure-blob',
        close: () => undefined,
      };
    case 'memory':
      return { storage: new MemoryStorage(), kind: 'memory', close: () => undefined };
  }
}
