import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppConfig } from '../core/config';
import { readContentDir } from '../core/content/contentFiles';
import { ContentStore } from '../core/content/contentStore';
import { KeyValueStore } from '../core/storage/keyValueStore';
import { StoreCatalog } from '../core/storage/storeCatalog';

/**
 * The published content versions in STATE_STORE, as the service and the content:export /
 * content:publish scripts open them: the content folder is the seed before anything is
 * published, and the logo a version names must be in that folder.
 */
export function openContentStore(
  config: Pick<AppConfig, 'contentDir'>,
  storage: KeyValueStore,
  catalog?: Pick<StoreCatalog, 'createIfAbsent'>,
): ContentStore {
  return new ContentStore(storage, {
    seed: () => readContentDir(config.contentDir),
    catalog,
    check: { assetExists: (name) => fs.existsSync(path.join(config.contentDir, name)) },
  });
}
