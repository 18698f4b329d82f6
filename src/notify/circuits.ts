/**
 * The per-platform circuit of the outbox: a transient failure pauses that platform's deliveries on every replica
 * (the circuit is in the database) with exponential back-off, one item probes it when the wait is over, and the
 * managers hear once per opening, on a platform that works, that its deliveries are held (and again when it answers).
 */
import type { App } from '../bootstrap';
import type { DeliveryPolicy, Platform } from '../config/policy.schema';
import type { Notice } from '../domain/ticket/notice';
import type { DeliveryError } from './delivery';
import type { OutboxItem, OutboxStore, PlatformCircuit } from './outbox';

/** Exponential back-off after `failures` in a row: `retryFirst` doubling to `retryMax` (policy `sla.delivery`). */
export function backoffMs(failures: number, policy: Pick<DeliveryPolicy, 'retryFirst' | 'retryMax'>): number {
  return Math.min(policy.retryMax, policy.retryFirst * 2 ** Math.min(30, Math.max(0, failures - 1)));
}

/** How long a read of the circuits serves the items of a drain. */
const CIRCUITS_FRESH_MS = 250;

const PLATFORM_NAMES: Record<Platform, string> = {
  slack: 'Slack',
  teams: 'Microsoft Teams',
  playground: 'the playground',
};

export function createPlatformCircuits(deps: {
  app: Pick<App, 'policy' | 'clock' | 'directory' | 'log'>;
  outbox: OutboxStore;
  /** The notifier's claim owner (its retries are made as it). */
  owner: string;
  leaseMs: number;
  /** The platforms this process delivers to. */
  platforms: () => Platform[];
}) {
  const { app, outbox, owner, leaseMs, platforms } = deps;
  const deliveryPolicy = () => app.policy.sla.delivery;
  let circuitsRead: { at: number; byPlatform: Map<Platform, PlatformCircuit> } | null = null;
  async function circuits(): Promise<Map<Platform, PlatformCircuit>> {
    const at = Date.now();
    if (!circuitsRead || at - circuitsRead.at > CIRCUITS_FRESH_MS)
      circuitsRead = { at, byPlatform: new Map((await outbox.circuits.all()).map((c) => [c.platform, c])) };
    return circuitsRead.byPlatform;
  }
  const forgetCircuits = () => {
    circuitsRead = null;
  };

  /**
   * May the item go to `platform` now? Yes when the platform is not failing, or when its wait is over and this
   * replica wins the probe (one item tries a failing platform at a time); else the instant to wait until.
   */
  async function gate(platform: Platform, now: Date): Promise<{ go: true } | { go: false; until: Date }> {
    const c = (await circuits()).get(platform);
    if (!c || c.failures === 0) return { go: true };
    if (c.pausedUntil && c.pausedUntil > now) return { go: false, until: c.pausedUntil };
    forgetCircuits();
    if (await outbox.circuits.takeProbe(platform, now, new Date(now.getTime() + leaseMs))) return { go: true };
    const again = await outbox.circuits.get(platform);
    if (!again || again.failures === 0) return { go: true };
    return { go: false, until: again.pausedUntil ?? new Date(now.getTime() + deliveryPolicy().retryFirst) };
  }

  /** The platform answered: clear its circuit if it was failing, release what waited for it, tell the managers. */
  async function platformAnswered(platform: Platform) {
    const c = (await circuits()).get(platform);
    if (!c || c.failures === 0) return;
    forgetCircuits();
    const before = await outbox.circuits.succeeded(platform);
    if (!before) return;
    const released = await outbox.releasePaused(platform, app.clock.now());
    app.log.info({ platform, failures: before.failures, released }, 'platform answers again: its deliveries resume');
    if (before.troubleSince) await tellManagers(platform, before, 'recovered');
  }

  /** A transient failure on `platform`: pause it (every replica), retry the item when the wait is over. */
  async function platformFailed(item: OutboxItem, platform: Platform, e: DeliveryError) {
    const now = app.clock.now();
    const policy = deliveryPolicy();
    forgetCircuits();
    const { pausedUntil, failures, opened } = await outbox.circuits.failed(
      platform,
      e.message,
      now,
      (n) => Math.max(e.opts.retryAfterMs ?? 0, backoffMs(n, policy)),
      policy.troubleAfter,
    );
    app.log.warn(
      { key: item.key, type: item.type, platform, failures, err: e.message, retryAt: pausedUntil.toISOString() },
      'delivery failed; the platform is paused and the notification will be retried',
    );
    await outbox.retry(item.key, owner, pausedUntil, e.message, platform);
    if (opened !== null) {
      app.log.error(
        { platform, failures, err: e.message },
        'platform in trouble: its deliveries are held until it answers',
      );
      const c = await outbox.circuits.get(platform);
      if (c) await tellManagers(platform, { ...c, openings: opened }, 'trouble');
    }
  }

  /**
   * One line to the managers on a platform that works: the managers channel when it lives elsewhere, else each
   * contact of the escalation ladder with an account there. Keyed by the opening, so replicas send it once.
   */
  async function tellManagers(platform: Platform, c: PlatformCircuit, what: 'trouble' | 'recovered') {
    const name = PLATFORM_NAMES[platform];
    const since = c.failingSince ?? app.clock.now();
    const text =
      what === 'trouble'
        ? `Helpline cannot deliver to ${name}: ${c.failures} failures in a row since ${since.toISOString()} (last: ${c.lastError ?? 'unknown'}). Its notifications are held and will be delivered, in order, once it answers again.`
        : `${name} answers again: the notifications held since ${since.toISOString()} are being delivered.`;
    const key = `delivery.${what}:${platform}:${c.openings}`;
    const elsewhere = platforms().filter((p) => p !== platform);
    const managers = app.policy.channels.managers;
    const notices: Notice[] = [];
    if (managers.platform !== platform && elsewhere.includes(managers.platform))
      notices.push({
        key,
        type: 'delivery.trouble',
        ticket: null,
        audience: { kind: 'channel', channel: 'managers' },
        text,
      });
    else
      for (const level of app.policy.escalation.ladder) {
        if (!level.contact) continue;
        const person = app.directory.person(level.contact);
        const to = elsewhere.map((p) => ({ p, id: person?.accounts[p] })).find((a) => a.id);
        if (!person || !to?.id) continue;
        notices.push({
          key: `${key}:${level.contact}`,
          type: 'delivery.trouble',
          ticket: null,
          audience: { kind: 'user', actor: { platform: to.p, userId: to.id, name: person.name } },
          text,
        });
      }
    if (notices.length === 0) {
      app.log.warn({ platform }, 'no managers reachable on another platform to tell that deliveries are held');
      return;
    }
    try {
      await outbox.enqueue(notices, app.clock.now());
    } catch (err) {
      app.log.warn({ platform, err: (err as Error).message }, 'could not queue the note to the managers');
    }
  }

  return { gate, platformAnswered, platformFailed };
}
