import {
  csvField,
  findByIdPrefix,
  formatBookingListing,
  formatClinicTime,
  formatCsv,
  formatTable,
  selectBookings,
  terminalSafe,
  toBookingRow,
} from '../../../core/booking/bookingExport';
import { BookingRequest } from '../../../core/booking/bookingRequest';
import { OutboxRecord } from '../../../core/booking/outbox';
import { sampleRequest } from '../../helpers/bookingRequests';

/** A kept record for `request`, created `hour` o'clock UTC on 20 Nov 2026. */
function record(
  hour: number,
  overrides: Partial<OutboxRecord> = {},
  request: Partial<BookingRequest> = {},
): OutboxRecord {
  const at = new Date(Date.UTC(2026, 10, 20, hour)).toISOString();
  return {
    request: sampleRequest({ createdAt: at, ...request }),
    status: 'pending',
    createdAt: at,
    updatedAt: at,
    attempts: 0,
    ...overrides,
  };
}

const SCREENING = {
  outcome: 'review' as const,
  completedAt: '2026-11-20T09:50:00.000Z',
  answers: [
    { id: 'isotretinoin', question: 'Have you taken isotretinoin in the last 6 months?', answer: 'yes' as const },
  ],
};

/** Splits CSV text into records of fields, honouring quotes (enough of RFC 4180 to read ours back). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      rows.push([...row, field]);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

describe('selectBookings', () => {
  const pending = record(9);
  const rejected = record(8, { status: 'rejected', attempts: 1, lastError: 'HTTP 422', lastStatusCode: 422 });
  const delivered = record(10, { status: 'delivered', attempts: 2, reference: 'BK-77' });
  const olderDelivered = record(7, { status: 'delivered', attempts: 1 });
  const handled = record(6, { handledAt: '2026-11-21T12:00:00.000Z' });
  const all = [delivered, handled, pending, olderDelivered, rejected];

  it('lists open requests oldest first and finished ones newest first, leaving out handled ones', () => {
    const { open, finished } = selectBookings(all);
    expect(open).toEqual([rejected, pending]);
    expect(finished).toEqual([delivered, olderDelivered]);
  });

  it('includes requests staff marked handled with includeHandled, among the finished ones', () => {
    const { open, finished } = selectBookings(all, { includeHandled: true });
    expect(open).toEqual([rejected, pending]);
    expect(finished).toEqual([delivered, olderDelivered, handled]);
  });

  it('lists a held request as open, for staff to release or handle', () => {
    const held = record(5, { status: 'held', heldAt: '2026-11-21T08:00:00.000Z' });
    expect(selectBookings([...all, held])).toEqual({
      open: [held, rejected, pending],
      finished: [delivered, olderDelivered],
    });
    expect(selectBookings([...all, held], { status: 'held' })).toEqual({ open: [held], finished: [] });
    expect(toBookingRow(held)).toMatchObject({ statusLabel: 'HELD — release or handle', heldAt: held.heldAt });
  });

  it('keeps only the status asked for', () => {
    expect(selectBookings(all, { status: 'rejected' })).toEqual({ open: [rejected], finished: [] });
    expect(selectBookings(all, { status: 'delivered' })).toEqual({ open: [], finished: [delivered, olderDelivered] });
    expect(selectBookings(all, { status: 'pending' })).toEqual({ open: [pending], finished: [] });
    expect(selectBookings(all, { status: 'pending', includeHandled: true })).toEqual({
      open: [pending],
      finished: [handled],
    });
  });
});

describe('findByIdPrefix', () => {
  const a = record(9, {}, { requestId: '3f2b8c1e-0000-4000-8000-000000000001' });
  const b = record(9, {}, { requestId: '3f2b8c1e-0000-4000-8000-000000000002' });
  const c = record(9, {}, { requestId: '7a000000-0000-4000-8000-000000000003' });

  it('finds a request by its full id or by the short id shown in the table', () => {
    expect(findByIdPrefix([a, b, c], c.request.requestId)).toEqual([c]);
    expect(findByIdPrefix([a, b, c], '7A000000')).toEqual([c]);
  });

  it('returns every match for an ambiguous prefix', () => {
    expect(findByIdPrefix([a, b, c], '3f2b8c1e')).toEqual([a, b]);
  });

  it('finds nothing from fewer characters than the short id, so a slip cannot mark another request', () => {
    expect(findByIdPrefix([a, b, c], '7')).toEqual([]);
    expect(findByIdPrefix([a, b, c], '7a00000')).toEqual([]);
    expect(findByIdPrefix([a, b, c], '  ')).toEqual([]);
  });
});

describe('formatTable', () => {
  it('shows one aligned line per request with the columns staff call back from', () => {
    const rows = [
      record(
        14,
        { status: 'rejected', attempts: 1, lastError: 'HTTP 422' },
        { requestId: 'aaaabbbb-0000-4000-8000-000000000001' },
      ),
      record(
        15,
        { status: 'delivered', attempts: 2, reference: 'BK-77' },
        {
          requestId: 'ccccdddd-0000-4000-8000-000000000002',
          patient: { name: 'José Núñez', phone: '+34612345678' },
          preferences: { daysAndTimes: 'martes por la tarde', treatment: 'Microagujas' },
          consents: { contact: true, shareScreening: true, givenAt: '2026-11-20T15:00:00.000Z' },
          screening: SCREENING,
        },
      ),
    ].map(toBookingRow);
    const lines = formatTable(rows, { timeZone: 'America/New_York' }).split('\n');
    expect(lines[0].split(/\s{2,}/)).toEqual([
      'created',
      'status',
      'tries',
      'last error',
      'reference',
      'name',
      'contact',
      'preferred times',
      'treatment',
      'screening',
      'id',
    ]);
    expect(lines[2].split(/\s{2,}/)).toEqual([
      '2026-11-20 09:00',
      'REJECTED — needs staff',
      '1',
      'HTTP 422',
      '-',
      'Ana Pérez',
      'ana.perez@example.com / +12015550123',
      'weekday mornings',
      'Microneedling',
      'no',
      'aaaabbbb',
    ]);
    expect(lines[3].split(/\s{2,}/)).toEqual([
      '2026-11-20 10:00',
      'delivered',
      '2',
      '-',
      'BK-77',
      'José Núñez',
      '+34612345678',
      'martes por la tarde',
      'Microagujas',
      'yes',
      'ccccdddd',
    ]);
    // Every column starts at the same place on every line (accents count as one character).
    const start = (line: string, text: string): number => [...line.slice(0, line.indexOf(text))].length;
    expect(start(lines[2], 'Ana')).toBe(start(lines[3], 'José'));
    expect(start(lines[0], 'id')).toBe(start(lines[2], 'aaaabbbb'));
  });

  it('keeps a note with a newline, tab or escape sequence on one line, and cuts long text', () => {
    const row = toBookingRow(
      record(
        9,
        {},
        {
          preferences: {
            daysAndTimes: 'mornings\n\u001b[31mred\ttext and a very long list of days that goes on',
            treatment: 'Microneedling',
          },
        },
      ),
    );
    const lines = formatTable([row]).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).not.toMatch(/[\u0000-\u001f]/);
    expect(lines[2]).toContain('mornings [31mred text and a…');
  });

  it('shows ISO times when no usable time zone is known', () => {
    expect(formatClinicTime('2026-11-20T14:00:00.000Z', undefined)).toBe('2026-11-20T14:00:00.000Z');
    expect(formatClinicTime('2026-11-20T14:00:00.000Z', 'Not/AZone')).toBe('2026-11-20T14:00:00.000Z');
    expect(formatClinicTime('2026-11-20T14:00:00.000Z', 'Europe/Madrid')).toBe('2026-11-20 15:00');
  });
});

describe('terminalSafe', () => {
  it('removes bidirectional overrides that could disguise text', () => {
    expect(terminalSafe('abc\u202Efed\u2066x')).toBe('abc fed x');
  });
});

describe('formatBookingListing', () => {
  it('puts the open requests first, then at most the given number of finished ones', () => {
    const selection = selectBookings([
      record(9),
      record(10, { status: 'delivered', reference: 'BK-1' }),
      record(11, { status: 'delivered', reference: 'BK-2' }),
      record(12, { status: 'delivered', reference: 'BK-3' }),
    ]);
    const text = formatBookingListing(selection, { finishedLimit: 2 });
    expect(text.indexOf('Open requests (1)')).toBeLessThan(text.indexOf('Finished requests (3)'));
    expect(text).toContain('BK-3');
    expect(text).toContain('BK-2');
    expect(text).not.toContain('BK-1');
    expect(text).toContain('… and 1 older finished request(s); --csv lists them all');
  });

  it('shows the note of an open request on one line under the table', () => {
    const open = record(
      9,
      {},
      {
        requestId: 'abcdef12-0000-4000-8000-000000000001',
        preferences: { daysAndTimes: 'lunes', treatment: 'Microagujas', note: 'Llamar después de las 5,\n"no" antes' },
      },
    );
    const text = formatBookingListing(selectBookings([open]));
    expect(text).toContain('\n  note abcdef12: Llamar después de las 5, "no" antes\n');
  });

  it('says none when there is nothing open', () => {
    expect(formatBookingListing({ open: [], finished: [] })).toBe(
      'Open requests (0), oldest first\n  none\n\nFinished requests (0), newest first\n  none',
    );
  });
});

describe('csvField', () => {
  it('quotes commas, quotes and line breaks, doubling the quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('she said "tuesday"')).toBe('"she said ""tuesday"""');
    expect(csvField('line one\nline two')).toBe('"line one\nline two"');
    expect(csvField('cr\r\nlf')).toBe('"cr\r\nlf"');
    expect(csvField('')).toBe('');
  });

  it('keeps Spanish accents as they are', () => {
    expect(csvField('Begoña Ibáñez, martes por la mañana')).toBe('"Begoña Ibáñez, martes por la mañana"');
  });

  it('disarms values a spreadsheet would run as a formula', () => {
    expect(csvField('=HYPERLINK("http://x","click")')).toBe('"\'=HYPERLINK(""http://x"",""click"")"');
    expect(csvField('+12015550123')).toBe("'+12015550123");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\t=1')).toBe("'\t=1");
    expect(csvField('a=1')).toBe('a=1');
  });
});

describe('formatCsv', () => {
  it('writes a header and one CRLF-ended line per request with every field, readable back', () => {
    const note = 'Call after 5, please — "not" before\nGracias, Begoña';
    const records = [
      record(
        9,
        { status: 'rejected', attempts: 1, lastError: 'HTTP 422', rejectedAt: '2026-11-20T09:00:05.000Z' },
        {
          requestId: '11111111-2222-4333-8444-555555555555',
          locale: 'es',
          patient: { name: 'Begoña Ibáñez', email: 'begona@example.com' },
          preferences: { daysAndTimes: 'martes, jueves por la mañana', treatment: 'Microagujas', note },
          consents: { contact: true, shareScreening: true, givenAt: '2026-11-20T09:00:00.000Z' },
          screening: SCREENING,
        },
      ),
    ];
    const text = formatCsv(records.map(toBookingRow));
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, line, ...rest] = parseCsv(text);
    expect(rest).toEqual([]);
    expect(header).toEqual([
      'request_id',
      'created_at',
      'status',
      'handled_at',
      'attempts',
      'last_error',
      'reference',
      'name',
      'email',
      'phone',
      'contact_as_typed',
      'preferred_times',
      'treatment',
      'note',
      'screening_shared',
      'screening_outcome',
      'locale',
      'channel',
      'delivered_at',
      'rejected_at',
      'held_at',
      'released_at',
    ]);
    const field = Object.fromEntries(header.map((h, i) => [h, line[i]]));
    expect(field).toEqual({
      request_id: '11111111-2222-4333-8444-555555555555',
      created_at: '2026-11-20T09:00:00.000Z',
      status: 'rejected',
      handled_at: '',
      attempts: '1',
      last_error: 'HTTP 422',
      reference: '',
      name: 'Begoña Ibáñez',
      email: 'begona@example.com',
      phone: '',
      contact_as_typed: '',
      preferred_times: 'martes, jueves por la mañana',
      treatment: 'Microagujas',
      note,
      screening_shared: 'yes',
      screening_outcome: 'review',
      locale: 'es',
      channel: 'webchat',
      delivered_at: '',
      rejected_at: '2026-11-20T09:00:05.000Z',
      held_at: '',
      released_at: '',
    });
  });

  it('guards a patient name typed as a formula', () => {
    const text = formatCsv([
      toBookingRow(record(9, {}, { patient: { name: '=cmd|" /C calc"!A0', phone: '+12015550123' } })),
    ]);
    const [, line] = parseCsv(text);
    expect(line[7]).toBe('\'=cmd|" /C calc"!A0');
    expect(line[9]).toBe("'+12015550123");
  });
});
