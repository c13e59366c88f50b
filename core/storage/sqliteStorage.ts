import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ETagConflictError, ListableStore, StoreItems } from './keyValueStore';
import { CatalogEntry, StoreCatalog, yieldToEventLoop } from './storeCatalog';

/** Rows per page of a listing: small enough that a page never holds the event loop for long. */
const LIST_PAGE = 500;

/**
 * The embedded default store: one sqlite file (WAL mode), items as JSON with a fresh eTag on
 * every write. Writes of one call are one transaction, so a stale eTag rejects the whole call.
 * Several processes may open the same file (WAL + busy timeout); eTags keep them honest.
 */
export class SqliteStorage implements ListableStore, StoreCatalog {
  private readonly db: Database.Database;
  private readonly selectOne: Database.Statement<[string], { value: string; etag: string }>;
  private readonly selectEtag: Database.Statement<[string], { etag: string }>;
  private readonly upsert: Database.Statement<[string, string, string, number]>;
  private readonly remove: Database.Statement<[string]>;
  private readonly selectKeys: Database.Statement<[number, string], { key: string }>;
  private readonly selectPage: Database.Statement<
    [number, string, string, number],
    { key: string; etag: string; updated_at: number }
  >;
  private readonly insertNew: Database.Statement<[string, string, string, number]>;
  private readonly removeIf: Database.Statement<[string, string]>;

  /** `now` stamps each write (the retention sweep reads it back); tests pass their clock. */
  constructor(
    file: string,
    private readonly now: () => number = Date.now,
  ) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS items ' +
        '(key TEXT PRIMARY KEY, value TEXT NOT NULL, etag TEXT NOT NULL, updated_at INTEGER NOT NULL) WITHOUT ROWID',
    );
    this.selectOne = this.db.prepare('SELECT value, etag FROM items WHERE key = ?');
    this.selectEtag = this.db.prepare('SELECT etag FROM items WHERE key = ?');
    this.upsert = this.db.prepare(
      'INSERT INTO items (key, value, etag, updated_at) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT(key) DO UPDATE SET value = excluded.value, etag = excluded.etag, updated_at = excluded.updated_at',
    );
    this.remove = this.db.prepare('DELETE FROM items WHERE key = ?');
    this.selectKeys = this.db.prepare('SELECT key FROM items WHERE substr(key, 1, ?) = ? ORDER BY key');
    this.selectPage = this.db.prepare(
      'SELECT key, etag, updated_at FROM items WHERE substr(key, 1, ?) = ? AND key > ? ORDER BY key LIMIT ?',
    );
    this.insertNew = this.db.prepare(
      'INSERT INTO items (key, value, etag, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(key) DO NOTHING',
    );
    this.removeIf = this.db.prepare('DELETE FROM items WHERE key = ? AND etag = ?');
  }

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    for (const key of keys) {
      const row = this.selectOne.get(key);
      if (row) items[key] = { ...(JSON.parse(row.value) as Record<string, unknown>), eTag: row.etag };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const entries = Object.entries(changes);
    if (entries.length === 0) return;
    this.writeAll(entries);
  }

  private readonly writeAll = (entries: [string, StoreItems[string]][]): void =>
    this.db.transaction(() => {
      const now = this.now();
      for (const [key, item] of entries) {
        const { eTag, ...value } = item;
        if (eTag !== undefined && eTag !== '*' && eTag !== '') {
          const current = this.selectEtag.get(key);
          if (!current || current.etag !== eTag) throw new ETagConflictError(key);
        }
        this.upsert.run(key, JSON.stringify(value), randomUUID(), now);
      }
    })();

  async delete(keys: string[]): Promise<void> {
    this.db.transaction(() => {
      for (const key of keys) this.remove.run(key);
    })();
  }

  async keys(prefix: string): Promise<string[]> {
    return this.selectKeys.all(prefix.length, prefix).map((r) => r.key);
  }

  async *list(prefix: string): AsyncIterable<CatalogEntry> {
    let after = '';
    for (;;) {
      const rows = this.selectPage.all(prefix.length, prefix, after, LIST_PAGE);
      for (const row of rows) yield { key: row.key, eTag: row.etag, lastModified: new Date(row.updated_at) };
      if (rows.length < LIST_PAGE) return;
      after = rows[rows.length - 1].key;
      await yieldToEventLoop();
    }
  }

  async deleteIfUnchanged(key: string, eTag: string): Promise<boolean> {
    return this.removeIf.run(key, eTag).changes === 1;
  }

  async createIfAbsent(key: string, item: Record<string, unknown>): Promise<boolean> {
    const { eTag: _ignored, ...value } = item;
    return this.insertNew.run(key, JSON.stringify(value), randomUUID(), this.now()).changes === 1;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
