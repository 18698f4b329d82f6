import { randomUUID } from 'node:crypto';
import { clientContextOf } from '../app/client-context';
import type { App } from '../bootstrap';
import { ticketView } from '../cards/ticket-view';
import type { Platform } from '../config/policy.schema';
import type { Audience } from '../domain/ticket/notice';
import type { PostedCard, Ticket } from '../domain/ticket/ticket';
import { weeklyChartImage } from './chart-image';
import {
  cardKindOf,
  type DeliveryContent,
  DeliveryError,
  type DeliveryTarget,
  type PlatformDelivery,
} from './delivery';
import type { OutboxItem, OutboxStore } from './outbox';

export interface Notifier {
  /** Deliver what is due soon (coalesced); called after every saved change. */
  kick(): void;
  /** Deliver everything due now; resolves when the outbox has nothing claimable. */
  drain(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

export interface NotifierOptions {
  app: Pick<App, 'policy' | 'clock' | 'calendar' | 'directory' | 'tickets' | 'events' | 'log' | 'clients'>;
  outbox: OutboxStore;
  deliveries: PlatformDelivery[];
  leaseMs?: number;
  pollMs?: number;
}

type Resolved =
  | { kind: 'post'; platform: Platform; target: DeliveryTarget }
  | { kind: 'update'; platform: Platform; post: PostedCard };

/** Exponential backoff, 2 s doubling to 5 min. */
export function backoffMs(attempts: number): number {
  return Math.min(300_000, 2000 * 2 ** Math.max(0, attempts - 1));
}

/**
 * Delivery worker: claims outbox items with a lease, delivers each to the platform its target
 * lives on, and marks it delivered, retried (429 / 5xx, honouring Retry-After) or dead.
 */
export function createNotifier(opts: NotifierOptions): Notifier {
  const { app, outbox } = opts;
  const owner = `${process.pid}-${randomUUID().slice(0, 8)}`;
  const leaseMs = opts.leaseMs ?? 60_000;
  const byPlatform = new Map(opts.deliveries.map((d) => [d.platform, d]));
  let running: Promise<number> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const deliveryFor = (platform: Platform): PlatformDelivery | undefined =>
    byPlatform.get(platform) ?? byPlatform.get('playground');

  function resolve(audience: Audience, ticket: Ticket | null): Resolved[] {
    switch (audience.kind) {
      case 'channel': {
        const ch = app.policy.channels[audience.channel];
        if (!ch) throw new DeliveryError(`the policy names no "${audience.channel}" channel`, { permanent: true });
        return [{ kind: 'post', platform: ch.platform, target: { kind: 'channel', id: ch.id } }];
      }
      case 'user':
        return [
          { kind: 'post', platform: audience.actor.platform, target: { kind: 'user', id: audience.actor.userId } },
        ];
      case 'person': {
        const acc = app.directory.accountOf(audience.personId);
        if (!acc) throw new DeliveryError(`person "${audience.personId}" has no platform account`, { permanent: true });
        return [{ kind: 'post', platform: acc.platform, target: { kind: 'user', id: acc.userId } }];
      }
      case 'posts':
        return (ticket?.posts ?? []).map((post) => ({ kind: 'update' as const, platform: post.platform, post }));
      case 'cardThread':
        return [cardThreadOf(ticket)];
    }
  }

  /** The thread of the ticket's working card (Team Ticketing once escalated, else triage); its channel when none is posted. */
  function cardThreadOf(ticket: Ticket | null): Resolved {
    const kind = ticket?.inTeamTicketing ? 'teamTicketing' : 'triage';
    const post = ticket?.posts.findLast((p) => p.kind === kind) ?? ticket?.posts.findLast((p) => p.kind === 'triage');
    if (post)
      return {
        kind: 'post',
        platform: post.platform,
        target: { kind: 'channel', id: post.channel, threadOf: post.messageId },
      };
    const ch = app.policy.channels[kind === 'teamTicketing' ? 'teamTicketing' : 'triage'];
    return { kind: 'post', platform: ch.platform, target: { kind: 'channel', id: ch.id } };
  }

  /**
   * Tickets' views for one drain: a ticket's history is read once per version, however many items and targets
   * of the drain show it (a change often queues a card update and a message).
   */
  function viewsOf(): (ticket: Ticket | null) => Promise<DeliveryContent['view']> {
    const loaded = new Map<string, Promise<DeliveryContent['view']>>();
    return (ticket) => {
      if (!ticket) return Promise.resolve(null);
      const key = `${ticket.number}@${ticket.version}`;
      let view = loaded.get(key);
      if (!view) {
        view = Promise.all([app.events.listFor(ticket.number), clientContextOf(app, ticket)]).then(
          ([history, clientContext]) => ({
            ...ticketView(ticket, history, { policy: app.policy, calendar: app.calendar, now: app.clock.now() }),
            clientContext,
          }),
        );
        loaded.set(key, view);
      }
      return view;
    };
  }

  async function contentFor(
    item: OutboxItem,
    view: DeliveryContent['view'],
    platform: Platform,
  ): Promise<DeliveryContent> {
    let mention: DeliveryContent['mention'] = null;
    if (item.mention) {
      const acc = app.directory.accountOf(item.mention, platform);
      const person = app.directory.person(item.mention);
      if (acc && person) mention = { userId: acc.userId, name: person.name };
    }
    return {
      notice: item,
      view,
      mention,
      attempt: { number: item.attempts, since: item.createdAt },
      ...(item.chart ? { image: weeklyChartImage(item.chart) } : {}),
    };
  }

  async function deliverOne(item: OutboxItem, viewOf: ReturnType<typeof viewsOf>): Promise<void> {
    const ticket = item.ticket ? await app.tickets.get(item.ticket) : null;
    for (const r of resolve(item.audience, ticket)) {
      const delivery = deliveryFor(r.platform);
      if (!delivery) throw new DeliveryError(`no ${r.platform} connection is configured`, { permanent: true });
      const content = await contentFor(item, await viewOf(ticket), delivery.platform);
      if (r.kind === 'update') {
        await delivery.update(r.post, content);
        continue;
      }
      const posted = await delivery.post(r.target, content);
      const kind = cardKindOf(item);
      // Posted: from here nothing may fail the item, or its retry would post the card a second time.
      if (kind && ticket)
        await rememberPost(
          item,
          ticket,
          { kind, platform: delivery.platform, ...posted, ...(kind === 'alert' ? { headline: item.text } : {}) },
          delivery,
          viewOf,
        );
    }
    // A new ticket (its triage card) and every change to one (its cards) show in the views that list tickets.
    if ((item.audience.kind === 'posts' || item.type === 'ticket.raised') && ticket) await refreshStandingViews(ticket);
  }

  /** Views that list tickets (Slack App Home) follow every change; a failure is logged, the cards are done. */
  async function refreshStandingViews(ticket: Ticket) {
    for (const delivery of new Set(byPlatform.values())) {
      try {
        await delivery.ticketChanged?.(ticket);
      } catch (err) {
        app.log.warn({ ticket: ticket.number, err: (err as Error).message }, 'refreshing App Home views failed');
      }
    }
  }

  /** Record the posted card (retried briefly) and refresh it once if the ticket changed meanwhile; log, never throw. */
  async function rememberPost(
    item: OutboxItem,
    ticket: Ticket,
    post: PostedCard,
    delivery: PlatformDelivery,
    viewOf: ReturnType<typeof viewsOf>,
  ) {
    let version: number;
    for (let attempt = 1; ; attempt++) {
      try {
        version = await app.tickets.addPost(ticket.number, post);
        break;
      } catch (err) {
        if (attempt >= 3) {
          app.log.error(
            { key: item.key, err: (err as Error).message },
            'card posted but not recorded: it will not update in place',
          );
          return;
        }
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
    try {
      // A change saved while we were posting would have found no card to update: refresh once.
      const now = version === ticket.version ? null : await app.tickets.get(ticket.number);
      if (now) await delivery.update(post, await contentFor(item, await viewOf(now), delivery.platform));
    } catch (err) {
      app.log.warn(
        { key: item.key, err: (err as Error).message },
        'card posted; refreshing it failed (the next change refreshes it)',
      );
    }
  }

  async function drainOnce(): Promise<number> {
    let count = 0;
    const viewOf = viewsOf();
    for (let i = 0; i < 500 && !stopped; i++) {
      const now = app.clock.now();
      const item = await outbox.claim(now, owner, leaseMs);
      if (!item) break;
      count++;
      // The lease is renewed while the platform is slow, so another replica never claims and posts it again.
      const renewal = setInterval(() => {
        const until = new Date(app.clock.now().getTime() + leaseMs);
        outbox
          .renew(item.key, owner, until)
          .catch((err: Error) => app.log.warn({ err: err.message }, 'lease renewal failed'));
      }, leaseMs / 3);
      try {
        await deliverOne(item, viewOf);
        clearInterval(renewal);
        await outbox.delivered(item.key, owner, app.clock.now());
      } catch (err) {
        clearInterval(renewal);
        const e = err instanceof DeliveryError ? err : new DeliveryError((err as Error).message);
        const log = { key: item.key, type: item.type, attempts: item.attempts, err: e.message };
        if (e.opts.permanent || item.attempts >= app.policy.sla.deliveryAttempts) {
          app.log.error(log, 'notification is dead: giving up');
          await outbox.dead(item.key, owner, e.message, app.clock.now());
        } else {
          const wait = Math.max(e.opts.retryAfterMs ?? 0, backoffMs(item.attempts));
          app.log.warn({ ...log, retryInMs: wait }, 'delivery failed; will retry');
          await outbox.retry(item.key, owner, new Date(app.clock.now().getTime() + wait), e.message);
        }
      }
    }
    return count;
  }

  const notifier: Notifier = {
    kick() {
      if (stopped) return;
      if (running) {
        again = true;
        return;
      }
      void notifier.drain().catch((err: Error) => app.log.warn({ err: err.message }, 'notifier run failed'));
    },
    async drain() {
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        let total = 0;
        try {
          do {
            again = false;
            total += await drainOnce();
          } while (again && !stopped);
        } finally {
          // In the same step as the last `again` check: a kick from now on starts a new run.
          running = null;
        }
        return total;
      })();
      return running;
    },
    start() {
      if (timer || stopped) return;
      timer = setInterval(() => notifier.kick(), opts.pollMs ?? 1000);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
  return notifier;
}
