import { Activity, CardAction, CardFactory, MessageFactory } from 'botbuilder';
import { submittedReply, teamsActivity, TEAMS_MAX_ACTIONS } from '../../bot/teamsActivities';

interface CardAct {
  type: string;
  title: string;
  url?: string;
  data?: { reply?: string };
}
interface Card {
  version: string;
  body: { type: string; actions?: CardAct[] }[];
}

const imBack = (title: string): CardAction => ({ type: 'imBack', title, value: title });
const titles = (n: number): string[] => Array.from({ length: n }, (_, i) => `Topic ${i + 1}`);

function cardOf(activity: Partial<Activity>, index = 0): Card {
  const attachment = activity.attachments?.[index];
  expect(attachment?.contentType).toBe('application/vnd.microsoft.card.adaptive');
  return attachment?.content as Card;
}

const actionSets = (card: Card): CardAct[][] =>
  card.body.filter((e) => e.type === 'ActionSet').map((e) => e.actions ?? []);

describe('Teams replies', () => {
  it('turns suggested actions into card buttons that send their text back, and keeps the text as the message', () => {
    const reply = teamsActivity(
      MessageFactory.suggestedActions(['Does it hurt?', 'Request a consultation'].map(imBack), 'Pick a topic:'),
    );
    expect(reply.suggestedActions).toBeUndefined();
    expect(reply.text).toBe('Pick a topic:');
    const card = cardOf(reply);
    expect(Number(card.version)).toBeLessThanOrEqual(1.5);
    expect(actionSets(card)).toEqual([
      [
        { type: 'Action.Submit', title: 'Does it hurt?', data: { reply: 'Does it hurt?' } },
        { type: 'Action.Submit', title: 'Request a consultation', data: { reply: 'Request a consultation' } },
      ],
    ]);
    // No msteams imBack data: the Agents Playground cannot submit it (see teamsActivities.ts).
    expect(JSON.stringify(card)).not.toMatch(/msteams/i);
  });

  it('keeps a phone link a link', () => {
    const reply = teamsActivity(
      MessageFactory.suggestedActions(
        [{ type: 'openUrl', title: 'Call the clinic', value: 'tel:+15550100' }],
        'Call now.',
      ),
    );
    expect(actionSets(cardOf(reply))).toEqual([
      [{ type: 'Action.OpenUrl', title: 'Call the clinic', url: 'tel:+15550100' }],
    ]);
  });

  it.each([
    [6, [6]],
    [7, [4, 3]],
    [8, [4, 4]],
    [13, [5, 5, 3]],
  ])('shows %i buttons in sets of at most six (Teams shows no more in one set)', (count, sizes) => {
    const reply = teamsActivity(MessageFactory.suggestedActions(titles(count).map(imBack), 'Choose:'));
    const sets = actionSets(cardOf(reply));
    expect(sets.map((s) => s.length)).toEqual(sizes);
    expect(sets.every((s) => s.length <= TEAMS_MAX_ACTIONS)).toBe(true);
    expect(sets.flat().map((a) => a.title)).toEqual(titles(count));
  });

  it("puts the buttons on the reply's own card rather than a second one", () => {
    const summary = MessageFactory.suggestedActions(['Send request', 'Cancel'].map(imBack), 'Please check:');
    summary.attachments = [
      CardFactory.adaptiveCard({
        type: 'AdaptiveCard',
        version: '1.4',
        body: [{ type: 'FactSet', facts: [{ title: 'Name', value: 'Ana' }] }],
      }),
    ];
    const before = JSON.stringify(summary);
    const reply = teamsActivity(summary);
    expect(reply.attachments).toHaveLength(1);
    const card = cardOf(reply);
    expect(card.body[0].type).toBe('FactSet');
    expect(
      actionSets(card)
        .flat()
        .map((a) => a.title),
    ).toEqual(['Send request', 'Cancel']);
    expect(JSON.stringify(summary)).toBe(before); // the reply it was given is not changed
  });

  it('leaves a reply without buttons as it is, so applying it twice changes nothing', () => {
    const plain = MessageFactory.text('Hello');
    expect(teamsActivity(plain)).toBe(plain);
    const once = teamsActivity(MessageFactory.suggestedActions(titles(3).map(imBack), 'Choose:'));
    expect(teamsActivity(once)).toEqual(once);
  });

  it('reads the tap on a card button as the text it stands for', () => {
    const tap = { type: 'message', channelId: 'msteams', value: { reply: 'Send request' } };
    expect(submittedReply(tap)).toBe('Send request');
    expect(submittedReply({ ...tap, text: 'typed' })).toBeUndefined();
    expect(submittedReply({ ...tap, channelId: 'webchat' })).toBeUndefined();
    expect(submittedReply({ ...tap, value: { reply: 42 } })).toBeUndefined();
    expect(submittedReply({ ...tap, value: 'Send request' })).toBeUndefined();
  });
});
