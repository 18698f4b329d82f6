import { randomUUID } from 'node:crypto';
import type { App } from '../bootstrap';
import type { Platform } from '../config/policy.schema';
import { crashPoint } from '../crash-switch';
import type { Audience } from '../domain/ticket/notice';
import type { PostedCard, Ticket } from '../domain/ticket/ticket';
import { backoffMs, createPlatformCircuits } from './circuits';
import { contentOf, viewsForDrain } from './content';
import {
  cardKindOf,
  type DeliveryContent,
  DeliveryError,
  type DeliveryTarget,
  type PlatformDelivery,
} from './delivery';
import type { OutboxItem, OutboxStore } from './outbox';

export { backoffMs } from './circuits';

export interface Notifier {
  /** Deliver what is due soon (coalesced); called after every saved change. */
  kick(): void;
  /** Deliver everything due now; resolves when the outbox has nothing claimable. */
  drain(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

export interface NotifierOptions {
  app: Pick<
    App,
    'policy' | 'clock' | 'calendar' | 'directory' | 'tickets' | 'events' | 'log' | 'clients' | 'assignments'
  >;
  outbox: OutboxStore;
  deliveries: PlatformDelivery[];
  leaseMs?: number;
  pollMs?: number;
}

type Resolved =
  | { kind: 'post'; platform: Platform; target: DeliveryTarget }
  | { kind: 'update'; platform: Platform; post: PostedCard };

/** A failure and the platform it came from (null: before any platform was reached). */
class TargetFailure extends Error {
  constructor(
    readonly error: DeliveryError,
    readonly platform: Platform | null,
  ) {
    super(error.message);
  }
}

/** How long a paused item waits behind an older one in its lane, at least (so a drain does not spin on it). */
const LANE_WAIT_MS = 100;
/** The longest an item waits before looking again at the older item ahead of it in its lane. */
const LANE_RECHECK_MS = 500;

/**
 * Delivery worker: claims outbox items with a lease, delivers each to the platform its target lives on, and marks
 * it delivered, retried or dead. A transient failure (5xx, 429 with its Retry-After, a timeout, a network error, a
 * rejected token) never kills an item: it pauses that platform's deliveries (every replica's: the circuit is in the
 * database) with exponential back-off, then one item probes it; the other platform keeps delivering. Only a
 * permanent error (the channel, the person or the payload is wrong) makes an item dead, with its reason. Items to
 * one target (a lane) are delivered in the order they were created: one never overtakes an older one still waiting.
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
        if (!ch)
          throw new DeliveryError(`the policy names no "${audience.channel}" channel`, {
            permanent: true,
            reason: 'no_such_channel',
          });
        return [{ kind: 'post', platform: ch.platform, target: { kind: 'channel', id: ch.id } }];
      }
      case 'user':
        return [
          { kind: 'post', platform: audience.actor.platform, target: { kind: 'user', id: audience.actor.userId } },
        ];
      case 'person': {
        const acc = app.directory.accountOf(audience.personId);
        if (!acc)
          throw new DeliveryError(`person "${audience.personId}" has no platform account`, {
            permanent: true,
            reason: 'no_account',
          });
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

  const viewsOf = () => viewsForDrain(app);
  const contentFor = (item: OutboxItem, view: DeliveryContent['view'], platform: Platform) =>
    contentOf(app, item, view, platform);

  type Planned = Resolved & { delivery: PlatformDelivery };

  /** Where the item goes, each target with its platform's delivery; throws a permanent error when it cannot go. */
  function plan(item: OutboxItem, ticket: Ticket | null): Planned[] {
    return resolve(item.audience, ticket).map((r) => {
      const delivery = deliveryFor(r.platform);
      if (!delivery)
        throw new DeliveryError(`no ${r.platform} connection is configured`, {
          permanent: true,
          reason: 'no_connection',
        });
      return { ...r, delivery };
    });
  }

  /** The lane of an item: its first target's platform and channel (or person), which it must not overtake in. */
  const laneOf = (p: Planned): string => `${p.delivery.platform}:${p.kind === 'update' ? p.post.channel : p.target.id}`;

  async function deliverOne(
    item: OutboxItem,
    ticket: Ticket | null,
    targets: Planned[],
    viewOf: ReturnType<typeof viewsOf>,
  ): Promise<void> {
    for (const r of targets) {
      const { delivery } = r;
      try {
        const content = await contentFor(item, await viewOf(ticket), delivery.platform);
        if (r.kind === 'update') {
          // The card keeps whom it mentioned when it was posted (an alert's contact).
          await delivery.update(
            r.post,
            r.post.mention && !content.mention ? { ...content, mention: r.post.mention } : content,
          );
          continue;
        }
        const posted = await delivery.post(r.target, content);
        const kind = cardKindOf(item);
        // Posted: from here nothing may fail the item, or its retry would post the card a second time.
        if (kind && ticket)
          await rememberPost(
            item,
            ticket,
            {
              kind,
              platform: delivery.platform,
              ...posted,
              ...(kind === 'alert' ? { headline: item.text } : {}),
              ...(kind === 'alert' && content.mention ? { mention: content.mention } : {}),
            },
            delivery,
            viewOf,
          );
      } catch (err) {
        if (err instanceof DeliveryError) throw new TargetFailure(err, delivery.platform);
        throw err;
      }
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

  const deliveryPolicy = () => app.policy.sla.delivery;
  const { gate, platformAnswered, platformFailed } = createPlatformCircuits({
    app,
    outbox,
    owner,
    leaseMs,
    platforms: () => [...byPlatform.keys()],
  });

  async function settle(item: OutboxItem, viewOf: ReturnType<typeof viewsOf>) {
    const now = app.clock.now();
    let targets: Planned[] = [];
    try {
      const ticket = item.ticket ? await app.tickets.get(item.ticket) : null;
      targets = plan(item, ticket);
      const first = targets[0];
      if (first) {
        const ahead = await outbox.laneAhead(item, laneOf(first));
        if (ahead) {
          // An older item to the same target is still waiting: go after it, never before. One in flight elsewhere
          // (its next attempt is its lease's end) usually lands within moments: look again soon, not at its lease's end.
          const wait = Math.min(Math.max(ahead.getTime() - now.getTime(), 0), LANE_RECHECK_MS);
          const at = new Date(now.getTime() + wait + LANE_WAIT_MS);
          await outbox.deferBehind(item, owner, at, laneOf(first));
          return;
        }
      }
      for (const platform of new Set(targets.map((t) => t.delivery.platform))) {
        const g = await gate(platform, now);
        if (!g.go) {
          await outbox.defer(item.key, owner, g.until, platform);
          return;
        }
      }
      await deliverOne(item, ticket, targets, viewOf);
      crashPoint('delivery:posted');
    } catch (err) {
      await failed(item, err);
      return;
    }
    await outbox.delivered(item.key, owner, app.clock.now());
    crashPoint('delivery:recorded');
    try {
      for (const platform of new Set(targets.map((t) => t.delivery.platform))) await platformAnswered(platform);
    } catch (err) {
      app.log.warn({ err: (err as Error).message }, 'could not clear a platform circuit (the next delivery will)');
    }
  }

  /** Dead (permanent), the platform paused and the item retried (transient), or the item alone retried. */
  async function failed(item: OutboxItem, err: unknown) {
    const failure =
      err instanceof TargetFailure
        ? err
        : new TargetFailure(
            err instanceof DeliveryError ? err : new DeliveryError((err as Error).message, { reason: 'error' }),
            null,
          );
    const e = failure.error;
    const log = {
      key: item.key,
      type: item.type,
      attempts: item.attempts,
      platform: failure.platform,
      err: e.message,
    };
    if (e.opts.permanent) {
      app.log.error(log, 'notification is dead: the platform refused it');
      await outbox.dead(item.key, owner, e.message, app.clock.now(), {
        reason: e.opts.reason ?? 'refused',
        platform: failure.platform,
      });
      // A refusal is an answer: a platform that was failing works again.
      if (failure.platform) await platformAnswered(failure.platform);
    } else if (failure.platform) {
      await platformFailed(item, failure.platform, e);
    } else {
      // Before any platform (the database, a bug): this item alone waits, with the same back-off.
      const wait = backoffMs(item.attempts, deliveryPolicy());
      app.log.warn({ ...log, retryInMs: wait }, 'delivery failed; will retry');
      await outbox.retry(item.key, owner, new Date(app.clock.now().getTime() + wait), e.message);
    }
  }

  async function drainOnce(): Promise<number> {
    let count = 0;
    const viewOf = viewsOf();
    for (let i = 0; i < 500 && !stopped; i++) {
      // A kick before this point is answered by this claim: only one after it runs the drain again (no empty claim
      // per kick). The notices of the changes kicked for are in the outbox before it looks (a failed move is logged
      // by the store and finished by recovery).
      again = false;
      await app.tickets.moveSaved();
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
        await settle(item, viewOf);
      } finally {
        clearInterval(renewal);
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
