import { ContainerClient } from '@azure/storage-blob';
import { Storage, StoreItem, StoreItems } from 'botbuilder';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { blobNameOf } from '../core/storage/blobCatalog';
import { ETagConflictError } from '../core/storage/keyValueStore';

/** Keys remembered as read absent (a conversation's are written within its turn); the oldest are forgotten. */
const ABSENT_KEPT = 10_000;

/**
 * botbuilder-azure-blobs' BlobsStorage, with one difference: an item written without an eTag
 * (botbuilder's "no eTag" after reading nothing, e.g. a brand-new conversation's state) whose key
 * this instance last read as absent is created only if it is still absent (`If-None-Match: *`).
 * Of two instances racing to create one conversation, one wins and the other gets an eTag
 * conflict, and its turn runs again on the winner's state. Everything else is BlobsStorage's own
 * (same blob names, so existing data reads unchanged); `*` still overwrites.
 */
export class CreateOnlyBlobsStorage implements Storage {
  private readonly blobs: BlobsStorage;
  private readonly container: ContainerClient;
  /** Keys whose latest read found nothing, oldest first. */
  private readonly absent = new Set<string>();

  constructor(connectionString: string, containerName: string) {
    this.blobs = new BlobsStorage(connectionString, containerName);
    this.container = new ContainerClient(connectionString, containerName);
  }

  async read(keys: string[]): Promise<StoreItems> {
    const items = await this.blobs.read(keys);
    for (const key of keys) {
      this.absent.delete(key);
      if (items[key] === undefined) this.absent.add(key);
    }
    for (const oldest of this.absent) {
      if (this.absent.size <= ABSENT_KEPT) break;
      this.absent.delete(oldest);
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const others: StoreItems = {};
    const creations: Promise<void>[] = [];
    for (const [key, item] of Object.entries<StoreItem>(changes)) {
      if (!item.eTag && this.absent.has(key)) creations.push(this.create(key, item));
      else others[key] = item;
    }
    await Promise.all([...creations, Object.keys(others).length > 0 ? this.blobs.write(others) : undefined]);
    for (const key of Object.keys(others)) this.absent.delete(key);
  }

  async delete(keys: string[]): Promise<void> {
    await this.blobs.delete(keys);
    // Nothing was read: a later write without an eTag overwrites, as BlobsStorage's does.
    for (const key of keys) this.absent.delete(key);
  }

  /** Writes an item only if no blob has its name yet (the container exists: a read made it). */
  private async create(key: string, item: StoreItem): Promise<void> {
    const { eTag: _none, ...value } = item;
    const body = JSON.stringify(value);
    try {
      await this.container.getBlockBlobClient(blobNameOf(key)).upload(body, Buffer.byteLength(body), {
        conditions: { ifNoneMatch: '*' },
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
    } catch (err) {
      // 409 BlobAlreadyExists (Azure Storage and Azurite); 412 from a proxy or an older service.
      if (statusOf(err) !== 409 && statusOf(err) !== 412) throw err;
      throw new ETagConflictError(key);
    } finally {
      this.absent.delete(key);
    }
  }
}

function statusOf(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null && 'statusCode' in err && typeof err.statusCode === 'number'
    ? err.statusCode
    : undefined;
}
