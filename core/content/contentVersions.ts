import { KeyValueStore } from '../storage/keyValueStore';
import { StoreCatalog } from '../storage/storeCatalog';
import { ContentFiles } from './contentFiles';
import {
  ContentVersion,
  ContentVersionSchema,
  History,
  HistorySchema,
  LivePointer,
  LivePointerSchema,
  parseItem,
  VersionSummary,
  writeChecked,
} from './contentStoreItems';

const MAX_ATTEMPTS = 20;

/**
 * The published versions in the state store: `<prefix>version/<n>` items (each version whole),
 * the `<prefix>history` index (Azure Blob cannot list keys) and the `<prefix>live` pointer every
 * instance polls. Every write is eTag-checked, so two publishers never take the same number.
 */
export class ContentVersions {
  private readonly keys: { live: string; history: string; version: (n: number) => string };

  constructor(
    private readonly store: KeyValueStore,
    prefix: string,
    private readonly catalog?: Pick<StoreCatalog, 'createIfAbsent'>,
  ) {
    this.keys = { live: `${prefix}live`, history: `${prefix}history`, version: (n) => `${prefix}version/${n}` };
  }

  async liveVersion(): Promise<number | undefined> {
    return (await this.readLive())?.value.version;
  }

  /** The live version with its files. */
  async live(): Promise<ContentVersion | undefined> {
    const pointer = (await this.readLive())?.value;
    if (!pointer) return undefined;
    const version = await this.version(pointer.version);
    if (!version) throw new Error(`the live content version ${pointer.version} is missing from the store`);
    return version;
  }

  async version(n: number): Promise<ContentVersion | undefined> {
    const key = this.keys.version(n);
    return parseItem(key, (await this.store.read([key]))[key], ContentVersionSchema)?.value;
  }

  /** Every published version, newest first (claims still being written are left out). */
  async history(): Promise<VersionSummary[]> {
    const key = this.keys.history;
    const history = parseItem(key, (await this.store.read([key]))[key], HistorySchema);
    return (history?.value.entries ?? [])
      .filter((e) => !e.pending)
      .map(({ pending: _pending, ...summary }) => summary)
      .sort((a, b) => b.version - a.version);
  }

  /**
   * Stores files as the next version: the number is claimed in the history index first (an
   * eTag-checked write, so two publishers never get the same one), then the version is written,
   * confirmed in the index, and the live pointer moved to it.
   */
  async commit(files: ContentFiles, summary: Omit<VersionSummary, 'version'>, after = 0): Promise<VersionSummary> {
    const version = await this.updateHistory((entries) => {
      const n = Math.max(after, ...entries.map((e) => e.version)) + 1;
      return { entries: [...entries, { ...summary, version: n, pending: true }], result: n };
    });
    const published: VersionSummary = { ...summary, version };
    await this.store.write({ [this.keys.version(version)]: { ...published, files } });
    await this.updateHistory((entries) => ({
      entries: entries.map((e) => (e.version === version ? { ...e, pending: false } : e)),
      result: version,
    }));
    const { changes: _changes, ...pointer } = published;
    await this.moveLive(pointer);
    return published;
  }

  /** A read-modify-write of the history index, retried while other publishers write it. */
  private async updateHistory<R>(
    change: (entries: History['entries']) => { entries: History['entries']; result: R },
  ): Promise<R> {
    const key = this.keys.history;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = parseItem(key, (await this.store.read([key]))[key], HistorySchema);
      const { entries, result } = change(current?.value.entries ?? []);
      if (await writeChecked(this.store, this.catalog, key, { entries }, current?.eTag)) return result;
    }
    throw new Error('could not update the content history: too many publishes at once');
  }

  /** Moves the live pointer forward; a later version that went live meanwhile stays. */
  private async moveLive(pointer: LivePointer): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.readLive();
      if (current && current.value.version >= pointer.version) return;
      if (await writeChecked(this.store, this.catalog, this.keys.live, pointer, current?.eTag)) return;
    }
    throw new Error('could not move the live content pointer: too many publishes at once');
  }

  private async readLive(): Promise<{ value: LivePointer; eTag?: string } | undefined> {
    const key = this.keys.live;
    return parseItem(key, (await this.store.read([key]))[key], LivePointerSchema);
  }
}
