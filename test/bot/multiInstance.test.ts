import pino from 'pino';
import { App, createApp } from '../../bot/app';
import { Azurite } from '../helpers/azurite';
import { BookingEndpoint } from '../helpers/bookingEndpoint';
import { testConfig } from '../helpers/testApp';
import { until } from '../helpers/until';

/**
 * Two bot instances behind a load balancer, sharing one Azure Blob container (Azurite): messages
 * of one conversation reach both at the same time.
 */
describe('two instances sharing Azure Blob Storage', () => {
  let azurite: Azurite;
  let apps: App[] = [];
  let ports: number[] = [];
  let sequence = 0;
  // The clinic's booking system, down until a test brings it up.
  let endpoint = new BookingEndpoint();
  let endpointPort = 0;

  beforeAll(async () => {
    azurite = await Azurite.start();
    endpointPort = (await endpoint.start()).port;
    await endpoint.stop();
    const config = testConfig({
      STATE_STORE: 'azure-blob',
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
      AZURE_STORAGE_CONTAINER: 'two-instances',
      BOOKING_ENDPOINT_URL: `http://127.0.0.1:${endpointPort}/bookings`,
      BOOKING_RETRY_ATTEMPTS: '2',
      BOOKING_RETRY_INITIAL_MS: '20',
      BOOKING_RETRY_MAX_MS: '100',
      BOOKING_SWEEP_MS: '100',
      BOOKING_TURN_WAIT_MS: '500',
    });
    apps = [
      await createApp(config, { log: pino({ level: 'silent' }) }),
      await createApp(config, { log: pino({ level: 'silent' }) }),
    ];
    ports = [];
    for (const app of apps) ports.push((await app.listen()).port);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await endpoint.stop();
    await azurite?.stop();
  });

  /** Sends a message to one instance and returns the texts it replied (expectReplies delivery). */
  async function say(instance: 0 | 1, conversation: string, text: string, id = `act-${++sequence}`): Promise<string[]> {
    const res = await fetch(`http://127.0.0.1:${ports[instance]}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id,
        channelId: 'webchat',
        serviceUrl: 'http://127.0.0.1:1',
        conversation: { id: conversation },
        from: { id: `patient-${conversation}` },
        recipient: { id: 'bot' },
        locale: 'en-US',
        deliveryMode: 'expectReplies',
        text,
      }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { activities: { text?: string }[] }).activities.map((a) => a.text ?? '');
  }

  it('loses no screening answer when two answers of one conversation reach both instances at once', async () => {
    const conversation = 'screening-race';
    expect((await say(0, conversation, 'am i a good candidate?')).join(' ')).toMatch(/Question 1 of \d+/);
    // Two answers at the same moment, one to each instance.
    const [a, b] = await Promise.all([say(0, conversation, 'no'), say(1, conversation, 'no')]);
    const asked = [...a, ...b].join(' ');
    expect(asked).toMatch(/Question 2 of/);
    expect(asked).toMatch(/Question 3 of/);
    // Both answers were kept: the next one asked is question 4, on either instance.
    expect((await say(1, conversation, 'no')).join(' ')).toMatch(/Question 4 of/);
    expect((await say(0, conversation, 'back')).join(' ')).toMatch(/Question 3 of/);
  });

  it('keeps every answer when many messages of one conversation race across both instances', async () => {
    const conversation = 'screening-burst';
    await say(1, conversation, 'am i a good candidate?');
    await Promise.all([0, 1, 0, 1, 0, 1].map((i) => say(i as 0 | 1, conversation, 'no')));
    expect((await say(0, conversation, 'no')).join(' ')).toMatch(/Question 8 of/);
  });

  it('answers a redelivered activity once, whichever instance gets the copy', async () => {
    const conversation = 'retry';
    await say(0, conversation, 'hello');
    const [first, copy] = await Promise.all([
      say(0, conversation, 'does it hurt?', 'teams-retry-1'),
      say(1, conversation, 'does it hurt?', 'teams-retry-1'),
    ]);
    const answered = [first, copy].filter((replies) => replies.length > 0);
    expect(answered).toHaveLength(1);
    expect(answered[0].join(' ')).toMatch(/numb/i);
    // Sent again later, still not processed twice.
    expect(await say(1, conversation, 'does it hurt?', 'teams-retry-1')).toEqual([]);
  });

  it('answers the redelivered first message of a brand-new conversation once', async () => {
    // Nothing is stored for this conversation yet: its first state write is create-only.
    const [first, copy] = await Promise.all([
      say(0, 'brand-new', 'does it hurt?', 'first-retry-1'),
      say(1, 'brand-new', 'does it hurt?', 'first-retry-1'),
    ]);
    const answered = [first, copy].filter((replies) => replies.length > 0);
    expect(answered).toHaveLength(1);
    expect(answered[0].join(' ')).toMatch(/numb/i);
  });

  it('keeps a booking made across both instances whole, and only one instance delivers it', async () => {
    const conversation = 'booking-across';
    const steps = [
      'i want to book',
      'Ana García',
      'ana.garcia@example.com',
      'No thanks',
      'weekday mornings',
      'Microneedling',
      'No note',
      'yes',
    ];
    // Each answer reaches whichever instance the load balancer picks.
    for (const [i, text] of steps.entries()) await say((i % 2) as 0 | 1, conversation, text);
    const confirmation = (await say(1, conversation, 'Send request')).join(' ');
    expect(confirmation).toMatch(/received/i);
    expect(confirmation).not.toMatch(/confirmed/i);

    endpoint = await new BookingEndpoint().start(endpointPort);
    await until(() => endpoint.accepted.size === 1, 'the request to arrive', 20_000);
    // A sweep waits for the deliveries it started; sweeps of both instances after that send nothing again.
    for (let sweep = 0; sweep < 3; sweep++) await Promise.all(apps.map((app) => app.bookings.sweep()));
    expect(endpoint.received).toHaveLength(1);
    expect(endpoint.received[0].json).toMatchObject({
      patient: { name: 'Ana García', email: 'ana.garcia@example.com' },
      preferences: { daysAndTimes: 'weekday mornings', treatment: 'Microneedling' },
    });
  });
});
