import { ConversationState, MemoryStorage, TestAdapter, TurnContext } from 'botbuilder';
import { DialogSet, DialogTurnStatus, WaterfallDialog, WaterfallStepContext } from 'botbuilder-dialogs';
import { z } from 'zod';
import { FlowPrompt, Question } from '../../dialogs/flowPrompt';

const ColourData = z.object({ name: z.string() });
/** A colour: red or blue, or whatever was kept as typed. */
type Colour = string;

/** A question of the kind every flow asks, with its texts in the test (the flows' come from the locales). */
const colour: Question<Colour, z.infer<typeof ColourData>> = {
  data: ColourData,
  maxMisses: 2,
  understands: (text) => text === 'red' || text === 'blue',
  ask: async (context, { name }) => {
    await context.sendActivity(`Which colour, ${name}?`);
  },
  read: async (context, _data, typed) => {
    const text = context.activity.text;
    if (text === 'red' || text === 'blue') return { kind: 'answer', value: text };
    if (text === 'keep' && typed) return { kind: 'answer', value: typed };
    if (text === 'why') return { kind: 'aside', say: { type: 'message', text: 'Because.' }, askAgain: true };
    return { kind: 'miss', typed: text };
  },
  reask: async (context, _data, misses) => {
    await context.sendActivity(misses === 1 ? 'Not a colour.' : 'Still not a colour: red or blue?');
  },
  moveOn: async (context) => {
    await context.sendActivity('Blue, then.');
    return 'blue';
  },
};

/** A waterfall that asks the colour and says what it got; "interrupt" asks the question again, as a flow does. */
function chat(): { adapter: TestAdapter; prompt: FlowPrompt<Colour, z.infer<typeof ColourData>> } {
  const state = new ConversationState(new MemoryStorage());
  const dialogs = new DialogSet(state.createProperty('dialogState'));
  const prompt = new FlowPrompt('colour', colour);
  dialogs.add(prompt);
  dialogs.add(
    new WaterfallDialog('ask', [
      (step) => step.prompt('colour', FlowPrompt.with({ name: 'Ana' })),
      async (step: WaterfallStepContext) => {
        await step.context.sendActivity(`You chose ${String(step.result)}.`);
        return step.endDialog();
      },
    ]),
  );
  const adapter = new TestAdapter(async (context: TurnContext) => {
    const dc = await dialogs.createContext(context);
    if (context.activity.text === 'interrupt') await dc.repromptDialog();
    else if ((await dc.continueDialog()).status === DialogTurnStatus.empty) await dc.beginDialog('ask');
    await state.saveChanges(context);
  });
  return { adapter, prompt };
}

describe('the prompt every flow question is asked with', () => {
  it('asks with the data it was given and ends with the answer a reply reads as', async () => {
    const { adapter } = chat();
    await adapter.send('hello').assertReply('Which colour, Ana?').send('red').assertReply('You chose red.');
  });

  it('says what was wrong twice, then ends with the safe answer rather than asking a third time', async () => {
    const { adapter } = chat();
    await adapter
      .send('hello')
      .assertReply('Which colour, Ana?')
      .send('green')
      .assertReply('Not a colour.')
      .send('green')
      .assertReply('Still not a colour: red or blue?')
      .send('green')
      .assertReply('Blue, then.')
      .assertReply('You chose blue.');
  });

  it('takes an aside without counting it as a reply not understood', async () => {
    const { adapter } = chat();
    await adapter
      .send('hello')
      .assertReply('Which colour, Ana?')
      .send('green')
      .assertReply('Not a colour.')
      .send('why')
      .assertReply('Because.')
      .assertReply('Which colour, Ana?')
      .send('green')
      .assertReply('Still not a colour: red or blue?');
  });

  it('keeps its count when it asks again after an interruption', async () => {
    const { adapter } = chat();
    await adapter
      .send('hello')
      .assertReply('Which colour, Ana?')
      .send('green')
      .assertReply('Not a colour.')
      .send('interrupt')
      .assertReply('Which colour, Ana?')
      .send('green')
      .assertReply('Still not a colour: red or blue?');
  });

  it('keeps the last reply not understood for a way out such as "keep as typed"', async () => {
    const { adapter } = chat();
    await adapter
      .send('hello')
      .assertReply('Which colour, Ana?')
      .send('mauve')
      .assertReply('Not a colour.')
      .send('keep')
      .assertReply('You chose mauve.');
  });

  it('says whether a message reads as an answer, for the flow deciding what the message is', () => {
    const { adapter, prompt } = chat();
    const turn = (text: string) => new TurnContext(adapter, { type: 'message', text });
    expect(prompt.understands('red', 'en', turn('red'))).toBe(true);
    expect(prompt.understands('does it hurt?', 'en', turn('does it hurt?'))).toBe(false);
  });
});
