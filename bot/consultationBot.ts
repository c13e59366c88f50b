import {
  ActivityHandler,
  ConversationState,
  InvokeResponse,
  StatePropertyAccessor,
  TurnContext,
  UserState,
} from 'botbuilder';
import { DialogSet, DialogState } from 'botbuilder-dialogs';
import { EventEmitter } from 'node:events';
import { Flow } from '../core/content/schemas';
import { AftercareDialog } from '../dialogs/aftercareDialog';
import { BookingDialog } from '../dialogs/bookingDialog';
import { asFlowEnd, FLOW_DIALOGS } from '../dialogs/flowDialogs';
import { ForgetRequest } from '../dialogs/forgetMe';
import { MessageExecutor } from '../dialogs/messageExecutor';
import { onHandoffStatus } from '../dialogs/personHandoff';
import { ScreeningDialog } from '../dialogs/screeningDialog';
import { languageOf, recordUnhelpful, resolveLanguage, TurnServices } from '../dialogs/turnServices';
import { WalkthroughDialog } from '../dialogs/walkthroughDialog';
import { commitTurnCounts, countInTurn, recordHelpful } from '../dialogs/turnAnalytics';
import { channelOf } from '../core/analytics/analyticsEvents';
import { ConversationCount } from './conversationCount';
import { envelopeProblem, loggableType, objectsIn } from './activityCheck';
import { LastActivity } from './lastActivity';
import { clientLocale, submittedReply, TEAMS, useTeamsActivities } from './teamsActivities';
import { TurnRunner } from './turnRunner';

/** What the bot tells whoever listens (the embedded Direct Line erases a forgotten conversation's history). */
interface BotEvents {
  /** A patient confirmed "forget me" in this conversation; their state is erased at the end of the turn. */
  forgotten: [conversationId: string];
}

/**
 * Routes activities: a welcome when someone joins (in a Teams personal chat: once, when the bot is
 * installed); a message goes to the guided conversation in progress (which handles interruptions
 * itself) or, when there is none, to the one message decision (`MessageExecutor`).
 */
export class ConsultationBot extends ActivityHandler {
  private readonly dialogs: DialogSet;
  private readonly executor: MessageExecutor;
  /** Tells a conversation's first message, for staff's figures. */
  private readonly conversationCount: ConversationCount;
  /** Events of the bot's turns: `forgotten`. */
  readonly events = new EventEmitter<BotEvents>();
  /** The welcome was sent in this conversation (Teams personal chats, where install sends two activities). */
  private readonly welcomed: StatePropertyAccessor<boolean>;

  constructor(
    private readonly conversationState: ConversationState,
    private readonly userState: UserState,
    private readonly services: TurnServices,
    private readonly dialogState: StatePropertyAccessor<DialogState>,
    private readonly turns: TurnRunner,
  ) {
    super();
    this.dialogs = new DialogSet(dialogState);
    this.dialogs.add(new ScreeningDialog(services));
    this.dialogs.add(new WalkthroughDialog(services));
    this.dialogs.add(new AftercareDialog(services));
    this.dialogs.add(new BookingDialog(services));
    this.executor = new MessageExecutor(services);
    this.conversationCount = new ConversationCount(conversationState);

    this.welcomed = conversationState.createProperty<boolean>('welcomed');
    const lastActivity = new LastActivity(conversationState, userState, services.now);

    this.onMembersAdded(async (context, next) => {
      const added = objectsIn(context.activity.membersAdded);
      if (isTeamsPersonal(context)) {
        // Installing the bot adds the bot itself to the chat (the Agents Playground adds the user too).
        if (added.length > 0) await this.welcomeOnce(context);
      } else if (added.some((m) => m.id !== context.activity.recipient?.id)) {
        await this.welcome(context);
      }
      await next();
    });

    // Teams may also announce the install itself, before or after the conversationUpdate.
    this.onInstallationUpdateAdd(async (context, next) => {
      if (context.activity.action === 'add' && isTeamsPersonal(context)) await this.welcomeOnce(context);
      await next();
    });

    // A thumbs-down reaction on an answer (channels that send reactions) is recorded for staff.
    this.onReactionsAdded(async (context, next) => {
      const reactions = objectsIn(context.activity.reactionsAdded);
      if (reactions.some((r) => typeof r.type === 'string' && UNHELPFUL_REACTIONS.has(r.type)))
        await recordUnhelpful(context, services);
      else if (reactions.some((r) => typeof r.type === 'string' && HELPFUL_REACTIONS.has(r.type)))
        await recordHelpful(context, services);
      await next();
    });

    // A handoff provider on the channel's side (Omnichannel and the like) reports back with handoff.status.
    this.onEvent(async (context, next) => {
      if (context.activity.name === 'handoff.status')
        await onHandoffStatus(context, services, await languageOf(context, services));
      await next();
    });

    this.onMessage(async (context, next) => {
      await this.countConversation(context);
      // The retention sweep deletes state N days after the last message: today's is recorded.
      await lastActivity.touch(context);
      const conversationId = context.activity.conversation?.id ?? '';
      // Most messages are single questions answered from user state alone; the conversation's
      // dialog stack is loaded only where the patient has a guided flow waiting.
      const flowWaiting = (await services.profile.get(context, {})).flowIn === conversationId;
      const dc = flowWaiting ? await this.dialogs.createContext(context) : undefined;
      let forget: ForgetRequest | undefined;
      let nextFlow: { flow: Flow; message: string; callback?: boolean } | undefined;
      if (dc?.activeDialog) {
        const end = asFlowEnd((await dc.continueDialog()).result);
        forget = end?.forget;
        nextFlow = end?.next;
        if (!nextFlow) await this.markFlow(context, dc.activeDialog ? conversationId : undefined);
      } else {
        // A flow marked as waiting whose state is gone (a failed turn reset the conversation) is
        // forgotten, and the message is answered as a new one rather than met with silence.
        if (flowWaiting) await this.markFlow(context, undefined);
        const execution = await this.executor.handle(context);
        if (execution.next === 'start-flow') nextFlow = execution;
        if (execution.next === 'end') forget = execution.forget;
      }
      if (nextFlow) await this.beginFlow(context, nextFlow.flow, nextFlow.message, nextFlow.callback === true);
      if (forget) await this.erase(context, forget);
      await next();
    });
  }

  /** A conversation's first message counts it for staff's figures (in the patient's language). */
  private async countConversation(context: TurnContext): Promise<void> {
    if (!this.services.analytics || !(await this.conversationCount.opens(context))) return;
    const lang = await languageOf(context, this.services);
    countInTurn(context, this.services, { kind: 'conversation', lang, channel: channelOf(context.activity.channelId) });
  }

  /** Starts a guided conversation with the message that asked for it (a booking may be a callback request). */
  private async beginFlow(context: TurnContext, flow: Flow, message: string, callback = false): Promise<void> {
    const dc = await this.dialogs.createContext(context);
    // A flow left on the stack unmarked (a failed turn saved the conversation but not the user) ends here.
    if (dc.activeDialog) await dc.cancelAllDialogs();
    await dc.beginDialog(FLOW_DIALOGS[flow], { message, ...(callback ? { callback } : {}) });
    await this.markFlow(context, dc.activeDialog ? (context.activity.conversation?.id ?? '') : undefined);
  }

  private async welcome(context: TurnContext): Promise<void> {
    const profile = await this.services.profile.get(context, {});
    const lang = resolveLanguage(profile, clientLocale(context.activity), this.services.defaultLang);
    await context.sendActivities(this.services.replies.welcome(lang));
  }

  /** Welcomes the patient unless this conversation was welcomed already (kept with the conversation's state). */
  private async welcomeOnce(context: TurnContext): Promise<void> {
    if (await this.welcomed.get(context, false)) return;
    await this.welcomed.set(context, true);
    await this.welcome(context);
  }

  /**
   * "Forget me", confirmed: the patient's user state and this conversation's state are deleted
   * once the turn has done its work, so nothing the turn still writes brings them back. Only the
   * times of the last hour's requests are written again (the cap on requests must survive it).
   */
  private async erase(context: TurnContext, forget: ForgetRequest): Promise<void> {
    this.events.emit('forgotten', context.activity.conversation?.id ?? '');
    await this.conversationState.delete(context);
    await this.userState.delete(context);
    if (forget.keepBookingTimes.length > 0)
      await this.services.profile.set(context, { bookingTimes: forget.keepBookingTimes });
  }

  private async markFlow(context: TurnContext, flowIn: string | undefined): Promise<void> {
    const profile = await this.services.profile.get(context, {});
    if (profile.flowIn !== flowIn) await this.services.profile.set(context, { ...profile, flowIn });
  }

  /** Teams' feedback buttons (👍/👎 under an answer) arrive as a "message/submitAction" invoke. */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    const name: unknown = context.activity.name;
    const value: unknown = context.activity.value;
    if (name === 'message/submitAction' && isFeedback(value)) {
      if (value.actionValue.reaction === 'dislike') await recordUnhelpful(context, this.services);
      if (value.actionValue.reaction === 'like') await recordHelpful(context, this.services);
      return { status: 200, body: {} };
    }
    try {
      return await super.onInvokeActivity(context);
    } catch (err) {
      // The SDK's own invoke parsing throws on malformed values (an adaptiveCard/action whose value
      // is a number): that is a bad request from the channel, not a failed turn.
      this.services.log.warn(
        {
          event: 'invoke-refused',
          name: typeof name === 'string' ? name.slice(0, 60) : typeof name,
          error: err instanceof Error ? err.name : 'error',
        },
        'malformed invoke refused',
      );
      return { status: 400, body: { error: 'bad-invoke' } };
    }
  }

  /** One turn: serialised per conversation, saved with eTag checks, re-run on a conflict, deduplicated. */
  override async run(context: TurnContext): Promise<void> {
    const problem = envelopeProblem(context.activity);
    if (problem) {
      // Nothing from the activity itself is logged: only which field was unusable.
      this.services.log.warn(
        { event: 'malformed-activity', field: problem, activityType: loggableType(context.activity.type) },
        'activity ignored',
      );
      return;
    }
    // A tap on one of our Teams card buttons arrives as its data, without text: it reads as typed.
    const reply = submittedReply(context.activity);
    if (reply !== undefined) context.activity.text = reply;
    useTeamsActivities(context);
    await this.turns.run(context, () => super.run(context));
    // Saved: what the turn counted for staff's figures counts now (a re-run turn counted once).
    commitTurnCounts(context, this.services);
    if (this.services.analytics && context.activity.type === 'message') this.conversationCount.saved(context);
  }

  /**
   * The guided conversation the turn was in (its dialog id), for
   * the log of a failed turn; undefined when none or unreadable.
   */
  async activeDialogId(context: TurnContext): Promise<string | undefined> {
    try {
      const state = await this.dialogState.get(context);
      const id: unknown = state?.dialogStack?.[0]?.id;
      return typeof id === 'string' ? id : undefined;
    } catch {
      return undefined;
    }
  }

  /** Clears the conversation's state after a failed turn that left it unreadable, so the next message starts clean. */
  async resetConversation(context: TurnContext): Promise<void> {
    await this.conversationState.delete(context);
  }

  /**
   * False when the stored conversation cannot be read by this version: a document that does not
   * parse, or a stack naming a dialog it no longer has. A store that is down is not a reason.
   */
  async conversationReadable(context: TurnContext): Promise<boolean> {
    try {
      await this.conversationState.load(context, true);
    } catch (err) {
      return !(err instanceof SyntaxError);
    }
    try {
      const stack = (await this.dialogState.get(context))?.dialogStack ?? [];
      return stack.every((instance) => this.dialogs.find(instance.id) !== undefined);
    } catch {
      return false;
    }
  }

  /** The patient's language for messages sent outside the normal flow (errors). */
  async languageOf(context: TurnContext): Promise<'en' | 'es'> {
    try {
      return await languageOf(context, this.services);
    } catch {
      // The stored profile cannot be read: the channel's locale still says which language.
      return resolveLanguage({}, context.activity.locale, this.services.defaultLang);
    }
  }
}

function isTeamsPersonal(context: TurnContext): boolean {
  return context.activity.channelId === TEAMS && context.activity.conversation?.conversationType === 'personal';
}

const UNHELPFUL_REACTIONS: ReadonlySet<string> = new Set(['dislike', 'sad', 'angry']);
const HELPFUL_REACTIONS: ReadonlySet<string> = new Set(['like', 'heart']);

function isFeedback(value: unknown): value is { actionName: 'feedback'; actionValue: { reaction: string } } {
  if (typeof value !== 'object' || value === null || !('actionName' in value) || !('actionValue' in value))
    return false;
  const { actionName, actionValue } = value;
  return (
    actionName === 'feedback' &&
    typeof actionValue === 'object' &&
    actionValue !== null &&
    'reaction' in actionValue &&
    typeof actionValue.reaction === 'string'
  );
}
