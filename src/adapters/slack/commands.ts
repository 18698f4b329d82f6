import { z } from 'zod';
import { setAway } from '../../app/availability';
import { helpFor } from '../../app/help';
import { parseLinkCommand, runLinkCommand } from '../../app/link-command';
import { getTicket, listMyTickets } from '../../app/queries';
import { parseReleaseCommand, releaseLines, runReleaseCommand } from '../../app/release-command';
import { reportLinkFor } from '../../app/reports/access';
import { historyText, ticketHistory } from '../../app/ticket-history';
import { escapeMrkdwn, helpText, intakeModal, slackChoices, ticketList, userText } from '../../cards/slack';
import { releasesMessage } from '../../cards/slack/releases';
import { type SlackContext, tell } from './context';
import { describeSlackError } from './errors';
import { guidedIntake } from './guided';
import { parseScope, publishHome, queueReply } from './home';
import { actorOf } from './identity';
import { EMPTY_PREFILL, prefillFrom, understand } from './intake';
import { cardOf, lineOf, viewOf } from './render';
import { searchReply } from './search';

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
  message: z
    .object({ text: z.string().max(40_000).optional(), ts: z.string().max(40), user: z.string().max(40).optional() })
    .passthrough(),
});

const globalShortcut = z.object({
  type: z.literal('shortcut'),
  trigger_id: z.string().max(200),
  user: z.object({ id: z.string().max(40) }),
});

/** `/ticket new | status SR-n | mine | queue [scope] | search <words> | help`, the two shortcuts and App Home. */
export function commandListeners(ctx: SlackContext) {
  const { app } = ctx;
  const guided = guidedIntake(ctx);
  const choices = () => slackChoices(app.policy);

  async function slash(raw: unknown, ack: Ack): Promise<void> {
    const parsed = slashCommand.safeParse(raw);
    if (!parsed.success) {
      // Nobody to tailor it to: the requester's help (no agent's command is offered to an unknown sender).
      await ack({ response_type: 'ephemeral', text: helpText(helpFor(app, { platform: 'slack', userId: '' })) });
      return;
    }
    const c = parsed.data;
    const help = () => helpText(helpFor(app, { platform: 'slack', userId: c.user_id }));
    const [sub = '', ...rest] = c.text.trim().split(/\s+/);
    const where = { user: c.user_id, channel: c.channel_id };
    switch (sub.toLowerCase()) {
      case '':
      case 'help':
        await ack({ response_type: 'ephemeral', text: help() });
        return;
      case 'new':
        await ack();
        if (c.trigger_id)
          await ctx.client.views.open({
            trigger_id: c.trigger_id,
            view: intakeModal(EMPTY_PREFILL, choices()) as never,
          });
        return;
      case 'queue': {
        await ack();
        try {
          const actor = await actorOf(app, c.user_id, { name: c.user_name });
          if (!app.directory.isAgent(actor)) {
            await tell(ctx, where, 'The queue is for support agents. `/ticket mine` lists your own tickets.');
            return;
          }
          const scope = parseScope((rest[0] ?? 'all').toLowerCase()) ?? 'all';
          const msg = await queueReply(app, c.user_id, scope, actor.name);
          if (c.channel_id)
            await ctx.client.chat.postEphemeral({
              channel: c.channel_id,
              user: c.user_id,
              text: msg.text,
              blocks: msg.blocks as never,
            });
          else await tell(ctx, where, msg.text);
        } catch (err) {
          await tell(ctx, where, describeSlackError(err, app.log, { command: sub, user: c.user_id }));
        }
        return;
      }
      case 'status':
      case 'mine':
        await ack();
        try {
          const actor = await actorOf(app, c.user_id, { name: c.user_name });
          if (sub.toLowerCase() === 'mine') {
            const tickets = await listMyTickets(app, actor, { lookup: true });
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
          const { ticket, view } = await getTicket(app, (rest[0] ?? '').toUpperCase(), actor, { lookup: true });
          const msg = cardOf(app, await viewOf(app, ticket), 'view', { viewer: view });
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
      case 'search': {
        await ack();
        try {
          const actor = await actorOf(app, c.user_id, { name: c.user_name });
          const msg = await searchReply(app, actor, rest.join(' '));
          // Answered to the asker only: ephemeral where they typed it, else in their DM with the bot.
          if (c.channel_id)
            await ctx.client.chat.postEphemeral({
              channel: c.channel_id,
              user: c.user_id,
              text: msg.text,
              blocks: msg.blocks as never,
            });
          else await ctx.client.chat.postMessage({ channel: c.user_id, text: msg.text, blocks: msg.blocks as never });
        } catch (err) {
          await tell(ctx, where, describeSlackError(err, app.log, { command: sub, user: c.user_id }));
        }
        return;
      }
      case 'away':
      case 'back': {
        await ack();
        try {
          const actor = await actorOf(app, c.user_id, { name: c.user_name });
          await tell(ctx, where, escapeMrkdwn(await setAway(app, actor, c.text.trim())));
        } catch (err) {
          await tell(ctx, where, describeSlackError(err, app.log, { command: sub, user: c.user_id }));
        }
        return;
      }
      case 'releases':
      case 'release': {
        await ack();
        try {
          const cmd = parseReleaseCommand(c.text) ?? { kind: 'usage' as const };
          const actor = await actorOf(app, c.user_id, { name: c.user_name });
          if (cmd.kind === 'list' && c.channel_id) {
            const msg = releasesMessage(await releaseLines(app, actor));
            await ctx.client.chat.postEphemeral({
              channel: c.channel_id,
              user: c.user_id,
              text: msg.text,
              blocks: msg.blocks as never,
            });
            return;
          }
          const text = await runReleaseCommand(app, actor, cmd);
          app.kick();
          await tell(ctx, where, escapeMrkdwn(text));
        } catch (err) {
          await tell(ctx, where, describeSlackError(err, app.log, { command: sub, user: c.user_id }));
        }
        return;
      }
      case 'link':
      case 'unlink': {
        await ack();
        try {
          const link = parseLinkCommand(c.text);
          if (!link) {
            await tell(
              ctx,
              where,
              'Say `/ticket link SR-7 part of SR-2`, `/ticket link SR-7 to SR-2` or `/ticket unlink SR-7`.',
            );
            return;
          }
          const actor = await actorOf(app, c.user_id, { name: c.user_name });
          const opKey = c.trigger_id ? `slack:command:${c.trigger_id}:link` : undefined;
          const r = await runLinkCommand(app, actor, link, opKey);
          if (!r.duplicate) app.kick();
          await tell(ctx, where, escapeMrkdwn(r.text));
        } catch (err) {
          await tell(ctx, where, describeSlackError(err, app.log, { command: sub, user: c.user_id }));
        }
        return;
      }
      case 'history': {
        await ack();
        try {
          const actor = await actorOf(app, c.user_id, { name: c.user_name });
          const h = await ticketHistory(app, (rest[0] ?? '').toUpperCase(), actor, Number(rest[1] ?? 1));
          await tell(ctx, where, historyText(h, '/ticket history', escapeMrkdwn));
        } catch (err) {
          await tell(ctx, where, describeSlackError(err, app.log, { command: sub, user: c.user_id }));
        }
        return;
      }
      case 'report':
      case 'reports': {
        // The link is single use and starts the manager's session: it only ever goes in their DM with the bot
        // (a link scanner or preview opening it spends nothing; see web/reports). The command is answered
        // ephemerally (the command's own response, which works in any channel) with where the link went.
        try {
          const actor = await actorOf(app, c.user_id, { name: c.user_name });
          const r = reportLinkFor(app, actor, { secret: app.reportsSecret, baseUrl: app.publicUrl() });
          if (r.allowed)
            await ctx.client.chat.postMessage({
              channel: c.user_id,
              text: r.text,
              unfurl_links: false,
              unfurl_media: false,
            });
          await ack({
            response_type: 'ephemeral',
            text: r.allowed ? "I've sent you the reports link in a direct message: it is yours alone." : r.text,
          });
        } catch (err) {
          await ack({
            response_type: 'ephemeral',
            text: describeSlackError(err, app.log, { command: sub, user: c.user_id }),
          });
        }
        return;
      }
      default:
        // `/ticket <plain words>` works like a DM: the request is echoed in the DM and the intake goes on in its thread.
        if (c.text.trim().split(/\s+/).length < 3) {
          await ack({
            response_type: 'ephemeral',
            text: `I do not know "${sub.slice(0, 40).replace(/[<>&*_~`]/g, '')}".\n${help()}`,
          });
          return;
        }
        await ack();
        try {
          const echo = await ctx.client.chat.postMessage({
            channel: c.user_id,
            text: `You asked: ${userText(c.text, 2900)}`,
          });
          const channel = typeof echo.channel === 'string' ? echo.channel : c.user_id;
          const ts = typeof echo.ts === 'string' ? echo.ts : '';
          if (!/^\d{1,12}\.\d{1,8}$/.test(ts)) throw new Error('Slack gave no message ts for the request');
          await guided.start(c.user_id, c.text.trim(), { channel, threadTs: ts, draftId: ts }, (m) =>
            ctx.client.chat.postMessage({ channel, thread_ts: ts, ...m } as never),
          );
        } catch (err) {
          await tell(ctx, where, describeSlackError(err, app.log, { command: 'plain words', user: c.user_id }));
        }
    }
  }

  /**
   * "Raise as a ticket": the form pre-filled from it, linked back with its permalink. An agent raising
   * someone else's message raises it on their behalf: the author becomes the requester (the agent is recorded).
   */
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
      const author = s.message.user && /^[UW][A-Z0-9]{2,30}$/.test(s.message.user) ? s.message.user : null;
      let permalink: string | null = null;
      try {
        const r = await ctx.client.chat.getPermalink({ channel: s.channel.id, message_ts: s.message_ts });
        permalink = typeof r.permalink === 'string' && /^https?:\/\//.test(r.permalink) ? r.permalink : null;
      } catch (err) {
        app.log.debug({ err: (err as Error).message }, 'Slack: no permalink for the message');
      }
      await ctx.client.views.open({
        trigger_id: s.trigger_id,
        view: intakeModal(prefillFrom(app, text), choices(), {
          sourceLink: permalink,
          ...(author && author !== s.user.id ? { onBehalfOf: author } : {}),
        }) as never,
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

  /** App Home: my open tickets; for agents the queue (breached first) with its filters. */
  async function home(raw: unknown): Promise<void> {
    const e = z.object({ user: z.string().max(40), tab: z.string().optional() }).safeParse(raw);
    if (!e.success || (e.data.tab && e.data.tab !== 'home')) return;
    try {
      await publishHome(app, ctx.client, e.data.user);
    } catch (err) {
      describeSlackError(err, app.log, { event: 'app_home_opened', user: e.data.user });
    }
  }

  return { slash, fromMessage, globalForm, home };
}
