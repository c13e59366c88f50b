import { z } from 'zod';
import { StaffRole } from '../staff/staffRoles';
import { isETagConflict, KeyValueStore } from '../storage/keyValueStore';

const PRESENCE_KEY = 'handoff/presence';
const MAX_CONFLICT_RETRIES = 20;

const PresenceSchema = z.object({
  /** Staff id (their email) → who they are and when their inbox last polled. */
  agents: z.record(z.string(), z.object({ name: z.string(), lastSeen: z.iso.datetime() })).default({}),
});
type Presence = z.infer<typeof PresenceSchema>;

export interface PresentAgent {
  id: string;
  name: string;
  lastSeen: string;
}

export interface AgentPresenceOptions {
  /** Someone counts as present this long after their inbox last polled. */
  windowMs?: number;
  now?: () => Date;
}

/** The roles that answer patients in the inbox. */
export function answersPatients(role: StaffRole): boolean {
  return role === 'agent' || role === 'admin';
}

/**
 * Which staff are at the inbox right now: one item lists every present agent with the time their
 * page last polled, so "is anyone there?" costs a single read. A heartbeat is written only when the
 * stored time has grown stale (a quarter of the window), so a page polling every second costs a
 * write every few seconds, merged under its eTag with other agents' heartbeats.
 */
export class AgentPresence {
  private readonly windowMs: number;
  private readonly now: () => Date;
  /** This instance's last write per agent, so most heartbeats need neither a read nor a write. */
  private readonly written = new Map<string, number>();

  constructor(
    private readonly store: KeyValueStore,
    options: AgentPresenceOptions = {},
  ) {
    this.windowMs = options.windowMs ?? 30_000;
    this.now = options.now ?? (() => new Date());
  }

  /** An agent's inbox polled: they count as present for the window. Other roles are ignored. */
  async heartbeat(agent: { id: string; name: string; role: StaffRole }): Promise<void> {
    if (!answersPatients(agent.role)) return;
    const at = this.now().getTime();
    const last = this.written.get(agent.id);
    if (last !== undefined && at - last < this.windowMs / 4 && at >= last) return;
    await this.update((presence) => {
      const known = presence.agents[agent.id];
      // A time ahead of this clock (another instance's skew) is rewritten rather than trusted.
      const age = known ? at - Date.parse(known.lastSeen) : Infinity;
      if (known && known.name === agent.name && age >= 0 && age < this.windowMs / 4) return undefined;
      return {
        agents: { ...this.fresh(presence, at), [agent.id]: { name: agent.name, lastSeen: new Date(at).toISOString() } },
      };
    });
    this.written.set(agent.id, at);
  }

  /** An agent signed out or closed the inbox: no longer present. */
  async leave(id: string): Promise<void> {
    this.written.delete(id);
    await this.update((presence) => {
      if (!Object.hasOwn(presence.agents, id)) return undefined;
      const agents = { ...presence.agents };
      delete agents[id];
      return { agents };
    });
  }

  /** The agents whose inbox polled within the window, most recent first. */
  async present(): Promise<PresentAgent[]> {
    const { presence } = await this.read();
    return Object.entries(this.fresh(presence, this.now().getTime()))
      .map(([id, a]) => ({ id, ...a }))
      .sort((a, b) => b.lastSeen.localeCompare(a.lastSeen));
  }

  /** Whether at least one agent is at the inbox now. */
  async anyonePresent(): Promise<boolean> {
    return (await this.present()).length > 0;
  }

  private fresh(presence: Presence, at: number): Presence['agents'] {
    return Object.fromEntries(
      Object.entries(presence.agents).filter(([, a]) => {
        const seen = Date.parse(a.lastSeen);
        return seen <= at + this.windowMs && at - seen < this.windowMs;
      }),
    );
  }

  private async read(): Promise<{ presence: Presence; eTag?: string }> {
    const item = (await this.store.read([PRESENCE_KEY]))[PRESENCE_KEY];
    if (!item) return { presence: { agents: {} } };
    const { eTag, ...rest } = item;
    const parsed = PresenceSchema.safeParse(rest);
    return { presence: parsed.success ? parsed.data : { agents: {} }, eTag };
  }

  private async update(change: (presence: Presence) => Presence | undefined): Promise<void> {
    for (let i = 0; i < MAX_CONFLICT_RETRIES; i++) {
      const { presence, eTag } = await this.read();
      const next = change(presence);
      if (!next) return;
      try {
        await this.store.write({ [PRESENCE_KEY]: { ...next, eTag } });
        // The first write has no eTag to check and may be lost to another's: read it back once more.
        if (eTag !== undefined) return;
      } catch (err) {
        if (!isETagConflict(err)) throw err;
      }
    }
    // Presence is a hint refreshed every few seconds: a heartbeat lost to contention is retried by the next poll.
  }
}
