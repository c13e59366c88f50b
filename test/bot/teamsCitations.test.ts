import * as http from 'node:http';
import { Activity, Entity } from 'botbuilder';
import { App } from '../../bot/app';
import { citationEntity, CITATION_LIMITS, clip } from '../../bot/citations';
import { Conversation } from '../helpers/conversation';
import { realContent } from '../helpers/content';
import { startApp } from '../helpers/testApp';

interface Claim {
  '@type': string;
  position: number;
  appearance: { '@type': string; name: string; abstract: string; url?: string };
}

const messageEntities = (a: Partial<Activity> | { entities?: Entity[] }): Entity[] =>
  (a.entities ?? []).filter((e) => e.type === 'https://schema.org/Message');
const claimsOf = (entity: Entity | undefined): Claim[] => (entity?.citation ?? []) as Claim[];

describe('citations as Teams shows them', () => {
  it('cite every source with a name and an abstract within the lengths Teams accepts, in both languages', async () => {
    const { content } = await realContent();
    const sources = [...content.sources.values()];
    for (const lang of ['en', 'es'] as const) {
      const claims = claimsOf(citationEntity(sources, lang));
      expect(claims).toHaveLength(Math.min(sources.length, CITATION_LIMITS.citations));
      for (const claim of claims) {
        expect(claim['@type']).toBe('Claim');
        expect(claim.appearance['@type']).toBe('DigitalDocument');
        expect(claim.appearance.name.length).toBeGreaterThan(0);
        expect(claim.appearance.name.length).toBeLessThanOrEqual(80);
        expect(claim.appearance.abstract.length).toBeGreaterThan(0);
        expect(claim.appearance.abstract.length).toBeLessThanOrEqual(160);
      }
    }
  });

  it('shortens a long abstract at a word, with an ellipsis, and leaves a short one alone', () => {
    const long =
      'Explains why a soothing mask is applied for about 15 minutes at the end of a microneedling session, ' +
      'how it helps ingredients absorb and calms heat and redness.';
    expect(clip(long, 160)).toBe(long);
    const cut = clip(long, 60);
    expect(cut.length).toBeLessThanOrEqual(60);
    expect(cut).toMatch(/^Explains why a soothing mask is applied for about 15\S*…$/);
    expect(long.startsWith(cut.slice(0, -1))).toBe(true);
  });

  it(
    'number the citations as the answer\'s "[n]" markers, ' + 'one Message entity, and no "AI generated" label',
    async () => {
      const chat = await Conversation.start({ channelId: 'msteams' });
      for (const question of ['how long does redness last after microneedling?', '¿cuántas sesiones necesito?']) {
        await chat.say(question);
        const answer = chat.replies[0];
        const entities = messageEntities(answer);
        expect(entities).toHaveLength(1);
        expect(entities[0].additionalType).toBeUndefined(); // curated by the clinic, not generated
        const claims = claimsOf(entities[0]);
        expect(claims.length).toBeGreaterThan(0);
        const markers = [...(answer.text ?? '').matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
        expect(claims.map((c) => c.position)).toEqual(markers);
        expect(markers).toEqual(markers.map((_, i) => i + 1));
        // Each marker is followed by the name of the source it cites.
        for (const claim of claims) expect(answer.text).toContain(`[${claim.position}] ${claim.appearance.name}`);
      }
    },
  );

  it('puts no citation on urgent guidance or the welcome', async () => {
    const chat = await Conversation.start({ channelId: 'msteams' });
    await chat.say({ type: 'installationUpdate', action: 'add' });
    expect(chat.replies.flatMap(messageEntities)).toEqual([]);
    await chat.say('my face is swollen and I have a fever');
    expect(chat.replies.flatMap(messageEntities)).toEqual([]);
  });
});

describe('an answer delivered to Teams', () => {
  let app: App;
  let base = '';
  const received: { entities?: Entity[]; text?: string; attachments?: unknown[]; suggestedActions?: unknown }[] = [];
  const connector = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      received.push(JSON.parse(data || '{}') as (typeof received)[number]);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `reply-${received.length}` }));
    });
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => connector.listen(0, '127.0.0.1', resolve));
    ({ app, base } = await startApp());
  });
  afterAll(async () => {
    await app.close();
    connector.close();
  });

  it('reaches the channel with its whole citation and its buttons on a card', async () => {
    const { port } = connector.address() as { port: number };
    const res = await fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: 'teams-1',
        channelId: 'msteams',
        serviceUrl: `http://127.0.0.1:${port}`,
        conversation: { id: 'teams-conv', conversationType: 'personal' },
        from: { id: 'patient' },
        recipient: { id: 'bot' },
        locale: 'en-US',
        text: 'does it hurt?',
      }),
    });
    expect(res.status).toBe(200);
    const answer = received.find((a) => (a.text ?? '').includes('Source:'));
    // botframework-connector 4.23.3 would send the entity as a bare { type } (bot/teamsActivities.ts).
    const claims = claimsOf(messageEntities(answer ?? {})[0]);
    expect(claims.length).toBeGreaterThan(0);
    expect(claims[0]).toMatchObject({
      '@type': 'Claim',
      position: 1,
      appearance: { '@type': 'DigitalDocument', name: expect.any(String), abstract: expect.any(String) },
    });
    expect(answer?.suggestedActions).toBeUndefined();
    expect(JSON.stringify(answer?.attachments)).toContain('Action.Submit');
  });
});
