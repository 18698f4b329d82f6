import type { ServerResponse } from 'node:http';

/** An activity as the page shows it: what the Bot Connector would have delivered to a client. */
export interface PlaygroundActivity {
  id: string;
  type: string;
  conversationId: string;
  /** Who sent it: the bot, or a person (their playground id). */
  from: { id: string; name: string; role: 'bot' | 'user' };
  text?: string;
  attachments?: Array<{ contentType: string; content?: unknown; contentUrl?: string; name?: string }>;
  replyToId?: string;
  /** ISO time of the movable clock when recorded (what the bot thinks "now" is). */
  timestamp: string;
  /** Set when an update (PUT, invoke response) replaced the activity. */
  updatedAt?: string;
}

export interface ConversationLogOptions {
  /** Activities kept per conversation (oldest dropped first). */
  perConversation?: number;
  /** Conversations kept (least recently used dropped first). */
  conversations?: number;
  /** Open event streams at once. */
  streams?: number;
}

/**
 * In-memory record of every playground conversation (bounded), pushed live to the open pages with
 * server-sent events. A development tool: it forgets on restart, the tickets do not.
 */
export class ConversationLog {
  private readonly byConversation = new Map<string, PlaygroundActivity[]>();
  private readonly streams = new Set<ServerResponse>();
  private readonly perConversation: number;
  private readonly maxConversations: number;
  private readonly maxStreams: number;
  private heartbeat: NodeJS.Timeout | undefined;
  private eventId = 0;

  constructor(opts: ConversationLogOptions = {}) {
    this.perConversation = opts.perConversation ?? 150;
    this.maxConversations = opts.conversations ?? 200;
    this.maxStreams = opts.streams ?? 50;
  }

  /** Add or replace (same id) an activity, and tell every page. */
  upsert(activity: PlaygroundActivity): PlaygroundActivity {
    let list = this.byConversation.get(activity.conversationId);
    if (!list) {
      list = [];
      if (this.byConversation.size >= this.maxConversations) {
        const oldest = this.byConversation.keys().next().value;
        if (oldest !== undefined) this.byConversation.delete(oldest);
      }
    } else {
      this.byConversation.delete(activity.conversationId); // re-inserted below: most recently used last
    }
    this.byConversation.set(activity.conversationId, list);
    const at = list.findIndex((a) => a.id === activity.id);
    if (at >= 0) list[at] = activity;
    else {
      list.push(activity);
      if (list.length > this.perConversation) list.splice(0, list.length - this.perConversation);
    }
    this.broadcast('activity', activity);
    return activity;
  }

  /** Replace what an existing activity shows; false when it is not (or no longer) recorded. */
  update(
    conversationId: string,
    id: string,
    patch: Pick<PlaygroundActivity, 'text' | 'attachments'>,
    at: Date,
  ): PlaygroundActivity | null {
    const found = this.find(conversationId, id);
    if (!found) return null;
    const next: PlaygroundActivity = { ...found, updatedAt: at.toISOString() };
    if (patch.attachments !== undefined) next.attachments = patch.attachments;
    if (patch.text !== undefined) next.text = patch.text;
    if (patch.attachments !== undefined && patch.text === undefined) delete next.text;
    return this.upsert(next);
  }

  find(conversationId: string, id: string): PlaygroundActivity | undefined {
    return this.byConversation.get(conversationId)?.find((a) => a.id === id);
  }

  /** Every recorded activity, by conversation. */
  snapshot(): Record<string, PlaygroundActivity[]> {
    return Object.fromEntries([...this.byConversation].map(([k, v]) => [k, [...v]]));
  }

  /** Attach a page's event stream (the response of GET /playground/events). */
  attach(res: ServerResponse): boolean {
    if (this.streams.size >= this.maxStreams) return false;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 1000\n\n');
    this.streams.add(res);
    res.on('close', () => this.streams.delete(res));
    this.heartbeat ??= setInterval(() => {
      for (const s of this.streams) s.write(': keep-alive\n\n');
    }, 15_000);
    this.heartbeat.unref();
    return true;
  }

  broadcast(event: string, data: unknown): void {
    const frame = `id: ${++this.eventId}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const s of this.streams) s.write(frame);
  }

  /** End every stream (the server is closing; pages reconnect when it is back). */
  close(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    for (const s of this.streams) s.end();
    this.streams.clear();
  }
}
