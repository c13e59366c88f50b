import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { scrubPersonalData } from '../privacy/scrubPersonalData';
import { Lang } from '../text/language';
import { GapRecord } from './gapReport';

/** A gap record as stored; `satisfies` keeps it in step with the GapRecord type. */
export const GapRecordSchema = z.object({
  id: z.string().min(1),
  at: z.string(),
  lang: z.enum(['en', 'es']),
  text: z.string(),
  kind: z.enum(['fallback', 'low-confidence', 'unhelpful']),
  faqId: z.string().optional(),
  confidence: z.number().optional(),
}) satisfies z.ZodType<GapRecord>;

/** Lines written before records had ids get one made from their place and text, the same on every read. */
const FileLineSchema = GapRecordSchema.extend({ id: z.string().min(1).optional() });

/** Where gap records are kept; records hold scrubbed text only. */
export interface GapStore {
  append(records: readonly GapRecord[]): Promise<void>;
  all(): Promise<GapRecord[]>;
}

/** One JSON line per record in a file (the embedded default, under DATA_DIR). */
export class FileGapStore implements GapStore {
  private folderReady = false;

  constructor(private readonly file: string) {}

  async append(records: readonly GapRecord[]): Promise<void> {
    if (records.length === 0) return;
    if (!this.folderReady) {
      await fs.promises.mkdir(path.dirname(this.file), { recursive: true });
      this.folderReady = true;
    }
    await fs.promises.appendFile(this.file, records.map((r) => `${JSON.stringify(r)}\n`).join(''), 'utf8');
  }

  async all(): Promise<GapRecord[]> {
    let raw: string;
    try {
      raw = await fs.promises.readFile(this.file, 'utf8');
    } catch {
      return [];
    }
    return raw.split('\n').flatMap((line, index) => {
      if (line.trim() === '') return [];
      try {
        const parsed = FileLineSchema.safeParse(JSON.parse(line));
        if (!parsed.success) return [];
        const id =
          parsed.data.id ?? `file-${createHash('sha256').update(`${index}\n${line}`).digest('hex').slice(0, 24)}`;
        return [{ ...parsed.data, id }];
      } catch {
        return [];
      }
    });
  }

  /**
   * Moves the file's records into `target` and deletes the file; returns how many were moved. Ids
   * are stable, so a move interrupted before the delete adds nothing twice when it runs again.
   */
  async moveTo(target: GapStore): Promise<number> {
    const records = await this.all();
    if (records.length > 0) await target.append(records);
    await fs.promises.rm(this.file, { force: true });
    return records.length;
  }
}

export class MemoryGapStore implements GapStore {
  readonly records: GapRecord[] = [];

  async append(records: readonly GapRecord[]): Promise<void> {
    this.records.push(...records);
  }

  async all(): Promise<GapRecord[]> {
    return [...this.records];
  }
}

const FLUSH_DELAY_MS = 200;

/**
 * Records what patients asked that the content did not answer well, with contact details removed
 * first. Records are queued and written in the background, so a turn never waits on the disk.
 */
export class GapRecorder {
  private queue: GapRecord[] = [];
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: GapStore,
    private readonly now: () => Date = () => new Date(),
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  record(gap: { text: string; lang: Lang; kind: GapRecord['kind']; faqId?: string; confidence?: number }): void {
    this.queue.push({ ...gap, id: randomUUID(), text: scrubPersonalData(gap.text), at: this.now().toISOString() });
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), FLUSH_DELAY_MS);
      this.timer.unref();
    }
  }

  /** Writes everything queued so far (also called on shutdown). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue;
    this.queue = [];
    this.writing = this.writing.then(async () => {
      try {
        await this.store.append(batch);
      } catch (err) {
        this.onError(err);
      }
    });
    return this.writing;
  }
}
