import {
  DeliveryClient,
  RejectedDeliveryError,
  RetryableDeliveryError,
  retryAfterMs,
} from '../../../core/booking/deliveryClient';
import { BookingEndpoint } from '../../helpers/bookingEndpoint';
import { sampleRequest } from '../../helpers/bookingRequests';

/** The clock the client is given: no test depends on today's date. */
const NOW = new Date('2026-11-20T10:00:00.000Z');

describe('retryAfterMs', () => {
  it.each([
    ['120', 120_000],
    [' 3 ', 3_000],
    ['0', 0],
    ['Fri, 20 Nov 2026 10:00:30 GMT', 30_000],
    ['Friday, 20-Nov-26 10:01:00 GMT', 60_000],
    ['Fri Nov 20 10:00:05 2026', 5_000],
    ['Thu, 19 Nov 2026 10:00:00 GMT', 0],
  ])('reads "%s" as %d ms', (header, expected) => {
    expect(retryAfterMs(header, NOW)).toBe(expected);
  });

  it.each([null, '', 'soon', '-5', '1.5', '2026-11-20T10:00:30Z', 'Fri, 20 Nov 2026 10:00:30 CET'])(
    'reads %p as no request to wait',
    (header) => {
      expect(retryAfterMs(header, NOW)).toBeUndefined();
    },
  );
});

describe('DeliveryClient against a real local HTTP endpoint', () => {
  let endpoint: BookingEndpoint;
  beforeEach(async () => {
    endpoint = await new BookingEndpoint().start();
  });
  afterEach(() => endpoint.stop());

  async function failureOf(client: DeliveryClient): Promise<unknown> {
    return client.send(sampleRequest()).then(
      () => undefined,
      (err: unknown) => err,
    );
  }

  it('passes on how many seconds a 503 asks to wait', async () => {
    endpoint.respond([503]).askToWait('45');
    const err = await failureOf(new DeliveryClient({ url: endpoint.url, now: () => NOW }));
    expect(err).toBeInstanceOf(RetryableDeliveryError);
    expect(err).toMatchObject({ statusCode: 503, retryAfterMs: 45_000 });
  });

  it('measures a Retry-After date against its own clock', async () => {
    endpoint.respond([429]).askToWait('Fri, 20 Nov 2026 10:02:00 GMT');
    const err = await failureOf(new DeliveryClient({ url: endpoint.url, now: () => NOW }));
    expect(err).toMatchObject({ statusCode: 429, retryAfterMs: 120_000 });
  });

  it('says nothing about waiting when the endpoint did not', async () => {
    endpoint.respond([503]);
    const err = await failureOf(new DeliveryClient({ url: endpoint.url, now: () => NOW }));
    expect(err).toBeInstanceOf(RetryableDeliveryError);
    expect(err).toMatchObject({ statusCode: 503, retryAfterMs: undefined });
  });

  it('ignores Retry-After on a refusal, which is never retried', async () => {
    endpoint.respond([422]).askToWait('10');
    const err = await failureOf(new DeliveryClient({ url: endpoint.url, now: () => NOW }));
    expect(err).toBeInstanceOf(RejectedDeliveryError);
  });
});
