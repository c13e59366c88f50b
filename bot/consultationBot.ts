import { ActivityHandler, ConversationState, StatePropertyAccessor, TurnContext, UserState } from 'botbuilder';
import { QuestionRouter, resolveLanguage, TurnServices, UserProfile } from '../dialogs/questionRouter';

/** Routes activities: a welcome when someone joins, the main dialog for messages, state saved every turn. */
export class ConsultationBot extends ActivityHandler {
  private readonly profile: StatePropertyAccessor<UserProfile>;
  private readonly router: QuestionRouter;

  constructor(
    private readonly conversationState: ConversationState,
    private readonly userState: UserState,
    private readonly services: TurnServices,
  ) {
    super();
    this.profile = userState.createProperty<UserProfile>('profile');
    this.router = new QuestionRouter(services, this.profile);

    this.onMembersAdded(async (context, next) => {
      const joined = (context.activity.membersAdded ?? []).filter((m) => m.id !== context.activity.recipient?.id);
      if (joined.length > 0) {
        const lang = resolveLanguage(await this.profile.get(context, {}), context.activity.locale, services.defaultLang);
        await context.sendActivities(services.replies.welcome(lang));
      }
      await next();
    });

    this.onMessage(async (context, next) => {
      await this.router.handle(context);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.conversationState.saveChanges(context, false);
    await this.userState.saveChanges(context, false);
  }

  /** Clears the conversation's state after a failed turn, so the next message starts clean. */
  async resetConversation(context: TurnContext): Promise<void> {
    await this.conversationState.delete(context);
  }

  /** The patient's language for messages sent outside the normal flow (errors). */
  async languageOf(context: TurnContext): Promise<'en' | 'es'> {
    try {
      return resolveLanguage(await this.profile.get(context, {}), context.activity.locale, this.services.defaultLang);
    } catch {
      return this.services.defaultLang;
    }
  }
}
