import { z } from 'zod';
import { getTicket, listMyTickets, listQueue } from '../../app/queries';
import { reportLinkFor } from '../../app/reports/access';
import { HELP_TEXT, homeView, intakeModal, slackChoices, ticketList } from '../../cards/slack';
import { type SlackContext, tell } from './context';
import { describeSlackError } from './errors';
import { actorOf } from './identity';
import { EMPTY_PREFILL, prefillFrom, understand } from './intake';
import { cardOf, lineOf, viewerOf, viewOf } from './render';

type Ack = (response?: string | Record<string, unknown>) => Promise<void>;

const slashCommand = z.object({
  text: z.string().max(4000).default(''),
  user_id: z.string().min(1).max(40),
  user_name: z.string().max(200).optional(),
  channel_id: z.string().max(40).optional(),
  trigger_id: z.string().max(200).optional(),
});

const messageShortcut = z.object({
  type: z.literal('message_action'),
  trigger_id: z.string().max(200),
  user: z.object({ id: z.string().max(40), name: z.string().max(200).optional() }),
  channel: z.object({ id: z.string().max(40) }),
  message_ts: z.string().max(40),
  message: z.object({ text: z.string().max(40_000).optional(), ts: z.string().max(40) }).passthrough(),
});

const globalShortcut = z.object({
  type: z.literal('shortcut'),
  trigger_id: z.string().max(200),
  user: z.object({ id: z.string().max(40) }),
});

/** `/ticket new | status SR-n | mine | help`, the two shortcuts and App Home. */
export function commandListeners(ctx: SlackContext) {
  const { app } = ctx;
  const choices = () => slackChoices(app.policy);

  async function slash(raw: unknown, ack: Ack): Promise<void> {
    const parsed = slashCommand.safeParse(raw);
    if (!parsed.success) {
      await ack({ response_type: 'ephemeral', text: HELP_TEXT });
      return;
    }
    const c = parsed.data;
    const [sub = '', ...rest] = c.text.trim().split(/\s+/);
    const where = { user: c.user_id, channel: c.channel_id };
    switch (sub.toLowerCase()) {
      case '':
      case 'help':
        await ack({ response_type: 'ephemeral', text: HELP_TEXT });
        return;
      case 'new':
        await ack();
        if (c.trigger_id)
          await ctx.client.views.open({
            trigger_id: c.trigger_id,
            view: intakeModal(EMPTY_PREFILL, choices()) as never,
          });
        return;
      case 'status':
      case 'mine':
        await ack();
        try {
          const actor = await actorOf(app, c.user_id, { name: c.user_name });
          if (sub.toLowerCase() === 'mine') {
            const tickets = await listMyTickets(app, actor);
            const blocks = ticketList(
              tickets.map((t) => lineOf(app, t)),
              'You have no open tickets.',
              40,
            );
            if (c.channel_id)
              await ctx.client.chat.postEphemeral({
                channel: c.channel_id,
                user: c.user_id,
                text: 'Your open tickets',
                blocks: blocks as never,
              });
            else await tell(ctx, where, 'Your open tickets');
            return;
          }
          const { ticket } = await getTicket(app, (rest[0] ?? '').toUpperCase(), actor);
          const msg = cardOf(app, await viewOf(app, ticket), 'view', { viewer: viewerOf(app, ticket, actor) });
          if (c.channel_id)
            await ctx.client.chat.postEphemeral({
              channel: c.channel_id,
              user: c.user_id,
              text: msg.text,
              blocks: msg.blocks as never,
            });
        } catch (err) {
          await tell(ctx, where, describeSlackError(err, app.log, { command: sub, user: c.user_id }));
        }
        return;
      case 'report':
      case 'reports': {
        // The link is personal: only the person who asked sees it (ephemeral).
        try {
          const actor = await actorOf(app, c.user_id, { name: c.user_name });
          const r = reportLinkFor(app, actor, { secret: app.reportsSecret, baseUrl: app.publicUrl() });
          await ack({ response_type: 'ephemeral', text: r.text });
        } catch (err) {
          await ack({
            response_type: 'ephemeral',
            text: describeSlackError(err, app.log, { command: sub, user: c.user_id }),
          });
        }
        return;
      }
      default:
        await ack({
          response_type: 'ephemeral',
          text: `I do not know "${sub.slice(0, 40).replace(/[<>&*_~`]/g, '')}".\n${HELP_TEXT}`,
        });
    }
  }

  /** "Raise a ticket from this message": the form pre-filled from it, linked back with its permalink. */
  async function fromMessage(raw: unknown): Promise<void> {
    const parsed = messageShortcut.safeParse(raw);
    if (!parsed.success) {
      app.log.info('Slack: message shortcut of an unexpected shape ignored');
      return;
    }
    const s = parsed.data;
    const text = s.message.text ?? '';
    try {
      const u = understand(app, text);
      if ('notSupported' in u) {
        await tell(ctx, { user: s.user.id, channel: s.channel.id }, u.notSupported);
        return;
      }
      let permalink: string | null = null;
      try {
        const r = await ctx.client.chat.getPermalink({ channel: s.channel.id, message_ts: s.message_ts });
        permalink = typeof r.permalink === 'string' && /^https?:\/\//.test(r.permalink) ? r.permalink : null;
      } catch (err) {
        app.log.debug({ err: (err as Error).message }, 'Slack: no permalink for the message');
      }
      await ctx.client.views.open({
        trigger_id: s.trigger_id,
        view: intakeModal(prefillFrom(app, text), choices(), { sourceLink: permalink }) as never,
      });
    } catch (err) {
      await tell(
        ctx,
        { user: s.user.id, channel: s.channel.id },
        describeSlackError(err, app.log, { shortcut: 'message' }),
      );
    }
  }

  async function globalForm(raw: unknown): Promise<void> {
    const parsed = globalShortcut.safeParse(raw);
    if (!parsed.success) return;
    try {
      await ctx.client.views.open({
        trigger_id: parsed.data.trigger_id,
        view: intakeModal(EMPTY_PREFILL, choices()) as never,
      });
    } catch (err) {
      await tell(ctx, { user: parsed.data.user.id }, describeSlackError(err, app.log, { shortcut: 'global' }));
    }
  }

  /** App Home: my open tickets; for agents the queue, most urgent SLA first. */
  async function home(raw: unknown): Promise<void> {
    const e = z.object({ user: z.string().max(40), tab: z.string().optional() }).safeParse(raw);
    if (!e.success || (e.data.tab && e.data.tab !== 'home')) return;
    try {
      const actor = await actorOf(app, e.data.user);
      const mine = (await listMyTickets(app, actor)).map((t) => lineOf(app, t));
      const queue = app.directory.isAgent(actor) ? (await listQueue(app, actor, 40)).map((t) => lineOf(app, t)) : null;
      await ctx.client.views.publish({ user_id: e.data.user, view: homeView({ mine, queue }) as never });
    } catch (err) {
      describeSlackError(err, app.log, { event: 'app_home_opened', user: e.data.user });
    }
  }

  return { slash, fromMessage, globalForm, home };
}
