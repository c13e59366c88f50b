/** What content:export and content:publish share: the bot's configuration and its state store. */
import * as fs from 'node:fs';
import { AppConfig, loadConfig } from '../core/config';
import { ContentStore } from '../core/content/contentStore';
import { openContentStore } from '../bot/contentStore';
import { storeCatalog } from '../bot/dataRetention';
import { createStorage } from '../bot/storage';

export interface OpenedContentStore {
  config: AppConfig;
  contents: ContentStore;
  /** Where the versions are, for messages (never the connection string). */
  where: string;
  close(): void;
}

/**
 * Opens the published content versions in the store the bot uses (STATE_STORE, SQLITE_PATH or
 * the Azure container). Throws with a plain reason when there is no such store to open.
 */
export function openBotContentStore(env: Record<string, string | undefined>): OpenedContentStore {
  // A staff tool needs no bot credentials: validate the rest of the configuration as in development.
  const config = loadConfig({ ...env, NODE_ENV: 'development', MicrosoftAppId: '' });
  const { state } = config;
  if (state.store === 'memory') throw new Error('STATE_STORE=memory keeps nothing outside the bot process');
  if (state.store === 'sqlite' && !fs.existsSync(state.sqlitePath))
    throw new Error(`there is no store at ${state.sqlitePath} (has the bot run with this DATA_DIR / SQLITE_PATH?)`);
  const opened = createStorage(state);
  const where = state.store === 'sqlite' ? state.sqlitePath : `Azure Blob container "${state.container}"`;
  return {
    config,
    contents: openContentStore(config, opened.storage, storeCatalog(state, opened.storage)),
    where,
    close: () => opened.close(),
  };
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
