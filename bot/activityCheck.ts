import { Activity } from 'botbuilder';
import { z } from 'zod';

/**
 * Every check of an incoming activity's shape, in one place: what POST /api/messages accepts
 * from a channel, what a visitor may post to the embedded Direct Line, and what a turn needs.
 */

/** Longer ids are not ids a channel makes; they would only bloat storage keys and the dedupe list. */
export const MAX_ID_CHARS = 1024;

const id = z.string().min(1).max(MAX_ID_CHARS);

/** What a turn needs from a channel's activity at POST /api/messages; botbuilder itself checks no more than `type`. */
export const InboundActivitySchema = z.looseObject({
  type: z.string().min(1).max(64),
  channelId: z.string().min(1).max(256),
  serviceUrl: z.string().min(1).max(2048),
  conversation: z.looseObject({ id }),
});

/**
 * What a visitor may post to the embedded Direct Line: the
 * fields Web Chat sends, each bounded. The server sets the rest.
 */
export const VisitorActivitySchema = z.object({
  type: z.enum(['message', 'event', 'typing']),
  text: z.string().max(20_000).optional(),
  textFormat: z.enum(['plain', 'markdown', 'xml']).optional(),
  value: z.unknown().optional(),
  name: z.string().max(100).optional(),
  locale: z.string().max(35).optional(),
  localTimestamp: z.string().max(40).optional(),
  channelData: z
    .looseObject({ clientActivityID: z.string().max(100).optional(), clientTimestamp: z.string().max(40).optional() })
    .optional(),
  attachments: z.array(z.unknown()).max(0, 'attachments are not accepted').optional(),
});

/**
 * Why an incoming activity cannot be handled safely, or undefined when it can. A turn needs
 * string ids for the channel, the conversation and the sender (state is keyed by them; an object
 * would turn into "[object Object]", one key shared by every such sender), and an id, when one is
 * given, must be a string. Channels always send these; an activity without them is ignored.
 */
export function envelopeProblem(activity: Partial<Activity>): string | undefined {
  const { channelId, conversation, from, id } = activity;
  if (!isId(channelId)) return 'channelId';
  if (!isObject(conversation) || !isId(conversation.id)) return 'conversation.id';
  if (!isObject(from) || !isId(from.id)) return 'from.id';
  // Typed as a string, but it arrives as JSON: anything may be there.
  if (id !== undefined && id !== null && !isId(id)) return 'id';
  return undefined;
}

/** The activity type for a log line: short, and only when it is a string. */
export function loggableType(type: unknown): string {
  return typeof type === 'string' ? type.slice(0, 40) : typeof type;
}

/** The elements of a list field that are objects (channels send arrays of objects; anything else is skipped). */
export function objectsIn(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_CHARS;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
