import { TranscriptInput } from '../../core/handoff/handoffRecord';
import { Transcripts } from '../../core/directLine/transcripts';

/** Messages of the chat shown to staff when it is handed over: the latest ones. */
const SHOWN = 30;

/** The embedded web chat's latest messages, as staff read them (the patient's and the bot's words). */
export async function recentChat(transcripts: Transcripts, conversationId: string): Promise<TranscriptInput[]> {
  const page = await transcripts.since(conversationId, 0);
  if (!page) return [];
  return page.activities
    .filter((a) => a.type === 'message' && typeof a.text === 'string' && a.text.trim() !== '')
    .slice(-SHOWN)
    .map((a) => {
      const from = a.from as { role?: unknown } | undefined;
      return {
        role: from?.role === 'user' ? 'patient' : 'bot',
        text: String(a.text).slice(0, 2000),
        ...(typeof a.timestamp === 'string' ? { at: a.timestamp } : {}),
      };
    });
}
