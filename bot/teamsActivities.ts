import { Activity, Attachment, CardAction, CardFactory, ResourceResponse, TurnContext } from 'botbuilder';
import { Entity as EntityMapper } from 'botframework-connector/lib/connectorApi/models/mappers';

export const TEAMS = 'msteams';

/** Teams' Adaptive Card host config shows at most 6 actions in one set (and on a hero card). */
export const TEAMS_MAX_ACTIONS = 6;

/** The field of a card button's submit data holding the text the patient would have typed. */
export const REPLY_FIELD = 'reply';

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

type CardElement = Record<string, unknown>;

/**
 * Teams gets the choices of a reply as buttons on an Adaptive Card instead of suggested actions:
 * every button that sends text becomes an `Action.Submit` whose data is `{ reply: text }` (read
 * back by `submittedReply`), and a link (a `tel:` number) stays a link (`Action.OpenUrl`). They
 * join the reply's own Adaptive Card when it has one, else a card of their own; the text (with its
 * citation markers) stays the message text. Activities without suggested actions are returned as
 * they are, so applying it twice changes nothing.
 *
 * Plain submit data rather than Teams' `msteams: { type: 'imBack' }`: the Agents Playground's
 * Adaptive Card renderer writes `msTeams` into the card's data object, which the Playground keeps
 * frozen ("Cannot add property msTeams, object is not extensible"), and even without that it sends
 * only the data, never the imBack text. Hero card imBack buttons are not delivered there at all.
 */
export function teamsActivity(activity: Partial<Activity>): Partial<Activity> {
  if (activity.suggestedActions === undefined) return activity;
  const { suggestedActions, ...rest } = activity;
  const sets = actionSets(suggestedActions.actions ?? []);
  if (sets.length === 0) return rest;
  const attachments = [...(activity.attachments ?? [])];
  for (const [i, attachment] of attachments.entries()) {
    const card: unknown = attachment.content;
    if (attachment.contentType !== ADAPTIVE_CARD || !isRecord(card)) continue;
    const body: unknown[] = Array.isArray(card.body) ? card.body : [];
    attachments[i] = { ...attachment, content: { ...card, body: [...body, ...sets] } };
    return { ...rest, attachments };
  }
  return { ...rest, attachments: [...attachments, buttonsCard(sets)] };
}

/**
 * The text a Teams card button stands for, when this message is the click of one of ours (a
 * message with no text whose value is `{ reply: "…" }`); undefined for anything else.
 */
export function submittedReply(activity: Partial<Activity>): string | undefined {
  if (activity.channelId !== TEAMS || activity.type !== 'message') return undefined;
  if (typeof activity.text === 'string' && activity.text.trim().length > 0) return undefined;
  const value: unknown = activity.value;
  if (!isRecord(value)) return undefined;
  const reply = value[REPLY_FIELD];
  return typeof reply === 'string' && reply.trim().length > 0 ? reply : undefined;
}

/** Registers the outgoing transform on a Teams turn (other channels keep their suggested actions). */
export function useTeamsActivities(context: TurnContext): void {
  if (context.activity.channelId !== TEAMS) return;
  context.onSendActivities(async (_ctx, activities, next): Promise<ResourceResponse[]> => {
    for (let i = 0; i < activities.length; i++) activities[i] = teamsActivity(activities[i]);
    return next();
  });
}

/**
 * botframework-connector 4.23.3 (the last release) serialises a reply's entities with a mapper that
 * knows only `type`, `text` and `mentioned`: every other field is dropped on the way to the channel,
 * so the citation entity reached Teams as a bare `{ type }`. This gives the mapper the
 * `additionalProperties` of the upstream fix (microsoft/botbuilder-js#4903, merged after 4.23.3);
 * drop it once a release carries that fix.
 */
export function keepEntityFields(): void {
  if (!EntityMapper.type.additionalProperties) EntityMapper.type.additionalProperties = { type: { name: 'Object' } };
}

/** The patient's locale: the activity's, else the one Teams puts in its clientInfo entity. */
export function clientLocale(activity: Partial<Activity>): string | undefined {
  if (typeof activity.locale === 'string' && activity.locale.length > 0) return activity.locale;
  // A hostile or broken channel may send anything as `entities`, not only a list.
  const entities: unknown = activity.entities;
  const info: unknown = Array.isArray(entities)
    ? (entities as unknown[]).find((e) => isRecord(e) && e.type === 'clientInfo')
    : undefined;
  const locale: unknown = isRecord(info) ? info.locale : undefined;
  return typeof locale === 'string' ? locale : undefined;
}

/** Buttons as ActionSets of at most six actions each, of similar sizes (seven buttons: four and three). */
function actionSets(actions: readonly CardAction[]): CardElement[] {
  const cardActions = actions.flatMap(toCardAction);
  if (cardActions.length === 0) return [];
  const sets = Math.ceil(cardActions.length / TEAMS_MAX_ACTIONS);
  const size = Math.ceil(cardActions.length / sets);
  const out: CardElement[] = [];
  for (let i = 0; i < cardActions.length; i += size)
    out.push({ type: 'ActionSet', actions: cardActions.slice(i, i + size) });
  return out;
}

function toCardAction(action: CardAction): CardElement[] {
  const value: unknown = action.value;
  const title = action.title || (typeof value === 'string' ? value : '');
  // ActionTypes' values as strings: a channel's action type is any string.
  const type: string = action.type;
  switch (type) {
    case 'openUrl':
    case 'call': {
      if (typeof value !== 'string' || value.length === 0) return [];
      const url = type === 'call' && !value.startsWith('tel:') ? `tel:${value}` : value;
      return [{ type: 'Action.OpenUrl', title, url }];
    }
    case 'imBack':
    case 'postBack':
    case 'messageBack': {
      const text = typeof value === 'string' ? value : (action.text ?? action.title);
      return text ? [{ type: 'Action.Submit', title: title || text, data: { [REPLY_FIELD]: text } }] : [];
    }
    default:
      return [];
  }
}

/** A card holding only buttons (Adaptive Card 1.4: ActionSet needs 1.2; Teams renders up to 1.5). */
function buttonsCard(sets: CardElement[]): Attachment {
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body: sets,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
