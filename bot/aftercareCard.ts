import { Attachment, CardFactory } from 'botbuilder';

/** One stage of the healing timeline as the card shows it. */
export interface TimelineStage {
  title: string;
  /** "Days 0–2". */
  days: string;
  current: boolean;
}

/** What the aftercare timeline card shows: where the patient is today, what is normal now and when to call. */
export interface AftercareCardContent {
  heading: string;
  /** "Day 3: you are here". */
  youAreHere: string;
  stages: TimelineStage[];
  lists: { title: string; items: string[]; attention?: boolean }[];
  call: { title: string; tel: string };
}

/**
 * The healing timeline as an Adaptive Card (1.4, which Web Chat and Teams render): every stage in
 * order with today's marked, then what to do, avoid, what is normal now and what is not.
 */
export function aftercareTimelineCard(c: AftercareCardContent): Attachment {
  const stageRows = c.stages.map((s) => ({
    type: 'Container',
    style: s.current ? 'emphasis' : 'default',
    spacing: 'Small',
    items: [
      {
        type: 'ColumnSet',
        columns: [
          {
            type: 'Column',
            width: 'auto',
            verticalContentAlignment: 'Center',
            items: [
              {
                type: 'TextBlock',
                text: s.current ? '●' : '○',
                size: 'Large',
                color: s.current ? 'Accent' : 'Default',
              },
            ],
          },
          {
            type: 'Column',
            width: 'stretch',
            items: [
              { type: 'TextBlock', text: s.title, weight: s.current ? 'Bolder' : 'Default', wrap: true },
              {
                type: 'TextBlock',
                text: s.current ? `${s.days} · ${c.youAreHere}` : s.days,
                isSubtle: !s.current,
                spacing: 'None',
                size: 'Small',
                wrap: true,
                color: s.current ? 'Accent' : 'Default',
              },
            ],
          },
        ],
      },
    ],
  }));
  const lists = c.lists.map((l) => ({
    type: 'Container',
    spacing: 'Medium',
    items: [
      { type: 'TextBlock', text: l.title, weight: 'Bolder', wrap: true, color: l.attention ? 'Attention' : 'Default' },
      { type: 'TextBlock', text: l.items.map((i) => `- ${i}`).join('\n'), wrap: true, spacing: 'Small' },
    ],
  }));
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body: [
      { type: 'TextBlock', text: c.heading, weight: 'Bolder', size: 'Medium', wrap: true },
      ...stageRows,
      ...lists,
    ],
    actions: [{ type: 'Action.OpenUrl', title: c.call.title, url: c.call.tel }],
  });
}
