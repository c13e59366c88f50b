import { ContainerClient } from '@azure/storage-blob';
import { CatalogEntry, StoreCatalog, yieldToEventLoop } from './storeCatalog';

/** Blobs per page of a listing (the service's maximum is 5,000). */
const LIST_PAGE = 1000;

/**
 * The blob name botbuilder-azure-blobs' BlobsStorage gives a key (its `sanitizeBlobKey`): empty
 * path segments dropped, the whole key URI-encoded, at most 1,024 characters. Written out here so
 * the core needs no botbuilder package; test/core/storage/blobCatalog.test.ts checks both agree.
 */
export function blobNameOf(key: string): string {
  const sanitized = key.split('/').reduce((acc, part, idx) => (part ? [acc, part].join(idx < 255 ? '/' : '') : acc));
  return encodeURIComponent(sanitized).slice(0, 1024);
}

/** Listing and conditional requests on the container BlobsStorage keeps the bot's state in. */
export class BlobCatalog implements StoreCatalog {
  private readonly container: ContainerClient;
  private ready?: Promise<unknown>;

  constructor(connectionString: string, containerName: string) {
    this.container = new ContainerClient(connectionString, containerName);
  }

  /** Keys come back as BlobsStorage reads them: without the empty segments (a trailing "/") it drops. */
  async *list(prefix: string): AsyncIterable<CatalogEntry> {
    await this.ensureContainer();
    const pages = this.container
      .listBlobsFlat({ prefix: encodeURIComponent(prefix) })
      .byPage({ maxPageSize: LIST_PAGE });
    for await (const page of pages) {
      for (const blob of page.segment.blobItems) {
        const key = decodedKey(blob.name);
        // A blob the bot did not write (its name is not an encoded key) is not the sweep's to judge.
        if (key === undefined || !blob.properties.etag) continue;
        yield { key, eTag: quoted(blob.properties.etag), lastModified: blob.properties.lastModified };
      }
      await yieldToEventLoop();
    }
  }

  async deleteIfUnchanged(key: string, eTag: string): Promise<boolean> {
    await this.ensureContainer();
    try {
      await this.container.deleteBlob(blobNameOf(key), { conditions: { ifMatch: quoted(eTag) } });
      return true;
    } catch (err) {
      // 412: written since it was listed; 404: already deleted (by another instance).
      if (statusOf(err) === 412 || statusOf(err) === 404) return false;
      throw err;
    }
  }

  async createIfAbsent(key: string, item: Record<string, unknown>): Promise<boolean> {
    await this.ensureContainer();
    const { eTag: _ignored, ...value } = item;
    const body = JSON.stringify(value);
    try {
      await this.container.getBlockBlobClient(blobNameOf(key)).upload(body, Buffer.byteLength(body), {
        conditions: { ifNoneMatch: '*' },
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
      return true;
    } catch (err) {
      if (statusOf(err) === 409 || statusOf(err) === 412) return false;
      throw err;
    }
  }

  /** BlobsStorage creates the container on first use; a sweep may come first. */
  private ensureContainer(): Promise<unknown> {
    this.ready ??= this.container.createIfNotExists().catch((err: unknown) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }
}

function decodedKey(name: string): string | undefined {
  try {
    return decodeURIComponent(name);
  } catch {
    return undefined;
  }
}

/** Listings give eTags bare, reads give them quoted; If-Match takes the quoted form. */
function quoted(eTag: string): string {
  return eTag.startsWith('"') ? eTag : `"${eTag}"`;
}

function statusOf(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null && 'statusCode' in err && typeof err.statusCode === 'number'
    ? err.statusCode
    : undefined;
}
