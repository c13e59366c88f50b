import { z } from 'zod';
import { GapGroup, groupGaps } from '../gaps/gapReport';
import { GapStore } from '../gaps/gapLog';
import { isETagConflict, KeyValueStore } from '../storage/keyValueStore';

export const GAP_STATES = ['pending', 'added', 'ignored'] as const;
export type GapState = (typeof GAP_STATES)[number];

const MarkSchema = z.object({
  state: z.enum(['added', 'ignored']),
  at: z.string(),
  by: z.string(),
  entryId: z.string().optional(),
});
type Mark = z.infer<typeof MarkSchema>;
const MarksSchema = z.object({ marks: z.record(z.string(), MarkSchema) });

const MARKS_KEY = 'staff/gap-marks';

/** A group of similar unanswered questions as the console lists it. */
export interface InboxGroup extends GapGroup {
  /** Stable while the group's newest question stays the newest: the id of that record. */
  key: string;
  state: GapState;
  /** Questions that arrived after staff sorted the group (then it is pending again). */
  unsorted: number;
  /** The last sorting: who, when, and the entry a phrasing went to. */
  mark?: Mark;
}

/**
 * The unanswered-questions inbox: the gap log (already scrubbed of personal data) grouped by
 * similarity, with what staff decided per question. A group is pending while any of its questions
 * is unsorted, so a new question like an ignored one is seen.
 */
export class GapInbox {
  constructor(
    private readonly gaps: GapStore,
    private readonly store: KeyValueStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async groups(): Promise<InboxGroup[]> {
    const [records, marks] = await Promise.all([this.gaps.all(), this.readMarks()]);
    return groupGaps(records).map((group) => {
      const sorted = group.ids.map((id) => marks.marks[id]).filter((m): m is Mark => m !== undefined);
      const unsorted = group.ids.length - sorted.length;
      const mark = sorted.sort((a, b) => b.at.localeCompare(a.at))[0];
      return {
        ...group,
        key: group.ids[0],
        state: unsorted > 0 || !mark ? 'pending' : mark.state,
        unsorted,
        mark,
      };
    });
  }

  async group(key: string): Promise<InboxGroup | undefined> {
    return (await this.groups()).find((g) => g.key === key);
  }

  /** Marks every question of the group; a mark on a question no longer kept is dropped. */
  async mark(group: InboxGroup, state: 'added' | 'ignored', by: string, entryId?: string): Promise<void> {
    const kept = new Set((await this.gaps.all()).map((r) => r.id));
    const mark: Mark = { state, at: this.now().toISOString(), by, ...(entryId ? { entryId } : {}) };
    for (let attempt = 0; ; attempt++) {
      const item = (await this.store.read([MARKS_KEY]))[MARKS_KEY];
      const marks = item ? MarksSchema.parse(item).marks : {};
      const next = Object.fromEntries(Object.entries(marks).filter(([id]) => kept.has(id)));
      for (const id of group.ids) next[id] = mark;
      try {
        await this.store.write({ [MARKS_KEY]: { marks: next, eTag: item?.eTag } });
        return;
      } catch (err) {
        if (!isETagConflict(err) || attempt >= 5) throw err;
      }
    }
  }

  private async readMarks(): Promise<{ marks: Record<string, Mark> }> {
    const item = (await this.store.read([MARKS_KEY]))[MARKS_KEY];
    return item ? MarksSchema.parse(item) : { marks: {} };
  }
}
