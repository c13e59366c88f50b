import { MemoryStorage } from 'botbuilder';
import { MemoryGapStore } from '../../../core/gaps/gapLog';
import { GapRecord } from '../../../core/gaps/gapReport';
import { GapInbox } from '../../../core/staff/gapInbox';

let n = 0;
function gap(text: string, at: string): GapRecord {
  return { id: `gap-${++n}`, at, lang: 'en', text, kind: 'fallback' };
}

describe('GapInbox', () => {
  it('groups alike questions as pending, and keeps what staff decided', async () => {
    const gaps = new MemoryGapStore();
    await gaps.append([
      gap('can I dye my hair after microneedling', '2026-12-01T10:00:00Z'),
      gap('can i dye my hair after my microneedling treatment', '2026-12-02T10:00:00Z'),
      gap('do you validate parking', '2026-12-02T11:00:00Z'),
    ]);
    const inbox = new GapInbox(gaps, new MemoryStorage(), () => new Date('2026-12-03T09:00:00Z'));
    const groups = await inbox.groups();
    expect(groups.map((g) => [g.count, g.state])).toEqual(
      expect.arrayContaining([
        [2, 'pending'],
        [1, 'pending'],
      ]),
    );
    const hair = groups.find((g) => g.count === 2);
    if (!hair) throw new Error('no hair group');
    await inbox.mark(hair, 'added', 'editor@clinic.example', 'aftercare-overview');
    const after = await inbox.group(hair.key);
    expect(after).toMatchObject({
      state: 'added',
      unsorted: 0,
      mark: { by: 'editor@clinic.example', entryId: 'aftercare-overview', at: '2026-12-03T09:00:00.000Z' },
    });
  });

  it('shows an ignored group as pending again when a new question like it arrives', async () => {
    const gaps = new MemoryGapStore();
    await gaps.append([gap('do you validate parking', '2026-12-01T10:00:00Z')]);
    const inbox = new GapInbox(gaps, new MemoryStorage());
    const [parking] = await inbox.groups();
    await inbox.mark(parking, 'ignored', 'reception@clinic.example');
    expect((await inbox.groups())[0].state).toBe('ignored');
    await gaps.append([gap('do you validate parking tickets', '2026-12-02T10:00:00Z')]);
    const [again] = await inbox.groups();
    expect(again).toMatchObject({ state: 'pending', unsorted: 1, count: 2 });
  });
});
