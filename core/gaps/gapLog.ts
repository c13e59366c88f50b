import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { scrubPersonalData } from '../privacy/scrubPersonalData';
import { Lang } from '../text/language';
import { GapRecord } from './gapReport';

const GapRecordSchema = z.object({
  at: z.string(),
  lang: z.enum(['en', 'es']),
  text: z.string(),
  kind: z.enum(['fallback', 'low-confidence', 'unhelpful']),
  faqId: z.string().optional(),
  confidence: z.number().optional(),
});

/** Where gap records are kept; records hold scrubbed text only. */
export interface GapStore {
  append(record: GapRecord): Promise<void>;
  all(): Promise<GapRecord[]>;
}

/** One JSON line per record in a file (the embedded default, under DATA_DIR). */
export class FileGapStore implements GapStore {
  constructor(private readonly file: string) {}

  async append(record: GapRecord): Promise<void> {
    await fs.promises.mkdir(path.dirname(this.file), { recursive: true });
    await fs.promises.appendFile(this.file, `${JSON.stringify(record)}\n`, 'utf8');
  }

  async all(): Promise<GapRecord[]> {
    let raw: string;
    try {
      raw = await fs.promises.readFile(this.file, 'utf8');
    } catch {
      return [];
    }
    return raw.split('\n').flatMap((line) => {
      if (line.trim() === '') return [];
      try {
        const parsed = GapRecordSchema.safeParse(JSON.parse(line));
        return parsed.success ? [parsed.data] : [];
      } catch {
        return [];
      }
    });
  }
}

export class MemoryGapStore implements GapStore {
  readonly records: GapRecord[] = [];

  async append(record: GapRecord): Promise<void> {
    this.records.push(record);
  }

  async all(): Promise<GapRecord[]> {
    return [...this.records];
  }
}

/** Records what patients asked that the content did not answer well, with contact details removed first. */
export class GapRecorder {
  constructor(
    private readonly store: GapStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async record(gap: { text: string; lang: Lang; kind: GapRecord['kind']; faqId?: string; confidence?: number }): Promise<void> {
    await this.store.append({ ...gap, text: scrubPersonalData(gap.text), at: this.now().toISOString() });
  }
}
