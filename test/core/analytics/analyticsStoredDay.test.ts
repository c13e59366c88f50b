import { countEvent, DayBucket, emptyDay } from '../../../core/analytics/analyticsBuckets';
import { EntryRef } from '../../../core/analytics/analyticsEvents';
import { fromStored, StoredDaySchema, toStored } from '../../../core/analytics/analyticsStoredDay';

const PAIN: EntryRef = { id: 'pain', en: { title: 'Does it hurt?' }, es: { title: '¿Duele?' } };
const REDNESS: EntryRef = { id: 'redness-duration', en: { title: 'Redness' }, es: { title: 'Rojez' } };

function day(): DayBucket {
  const bucket = emptyDay('2026-03-05');
  countEvent(bucket, '09', { kind: 'message', outcome: 'answered', lang: 'en', channel: 'webchat', entries: [PAIN] });
  countEvent(bucket, '10', {
    kind: 'message',
    outcome: 'answered',
    lang: 'es',
    channel: 'msteams',
    entries: [REDNESS, PAIN],
  });
  countEvent(bucket, '10', { kind: 'feedback', reaction: 'down', entry: REDNESS });
  return bucket;
}

describe('stored days', () => {
  it('name each entry once a day and by its position in the hours, and read back the same counts', () => {
    const stored = toStored(day());
    expect([...stored.entries].sort()).toEqual(['pain', 'redness-duration']);
    const named = (list: number[] = []) =>
      Object.fromEntries(list.flatMap((n, i) => (i % 2 === 0 ? [[stored.entries[n], list[i + 1]]] : [])));
    expect(named(stored.hours['10']?.answered)).toEqual({ pain: 1, 'redness-duration': 1 });
    expect(named(stored.hours['10']?.thumbsDown)).toEqual({ 'redness-duration': 1 });
    expect(stored.hours['10']).not.toHaveProperty('thumbsUp');
    const parsed = StoredDaySchema.parse(JSON.parse(JSON.stringify(stored)));
    expect(fromStored(parsed)).toEqual(day());
  });

  it('refuses an hour naming an entry the day does not list', () => {
    const stored = toStored(day());
    const broken = { ...stored, entries: ['pain'] };
    expect(StoredDaySchema.safeParse(broken).success).toBe(false);
  });
});
