import { Attachment, CardFactory } from 'botbuilder';

/** Channels that render Adaptive Cards; elsewhere summaries and timelines are sent as text. */
export const CARD_CHANNELS: ReadonlySet<string> = new Set(['msteams', 'webchat', 'directline', 'emulator']);

/** A titled list of facts (a booking request, screening answers) as an Adaptive Card (1.4: Web Chat and Teams). */
export function summaryCard(title: string, facts: readonly { title: string; value: string }[]): Attachment {
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body: [
      { type: 'TextBlock', text: title, weight: 'Bolder', size: 'Medium', wrap: true },
      { type: 'FactSet', facts },
    ],
  });
}
