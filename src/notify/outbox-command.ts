import { PLATFORMS, type Platform } from '../config/policy.schema';
import type { DeadFilter, OutboxStore } from './outbox';

/** What `npm run outbox -- <command>` asks for. */
export type OutboxCommand =
  | { command: 'list-dead'; filter: DeadFilter; limit: number }
  | { command: 'retry-dead'; filter: DeadFilter }
  | { command: 'status' };

export const OUTBOX_USAGE = `usage: npm run outbox -- <command> [options]

  list-dead   [--platform slack|teams] [--reason CODE] [--limit N]   the dead notifications, newest first
  retry-dead  [--platform slack|teams] [--reason CODE]               deliver them again (once the cause is fixed)
  status                                                              pending, dead and each platform's circuit

Connects to MONGODB_URI, like the bot. A reason is the code shown by list-dead (channel_not_found, http_403, ...).`;

/** Parses the command line (after `--`); throws with the usage on anything it does not know. */
export function parseOutboxCommand(argv: string[]): OutboxCommand {
  const [command, ...rest] = argv;
  const filter: DeadFilter = {};
  let limit = 50;
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    const value = rest[i + 1];
    if (value === undefined) throw new Error(`${flag} needs a value\n\n${OUTBOX_USAGE}`);
    i++;
    if (flag === '--platform') {
      if (!(PLATFORMS as readonly string[]).includes(value))
        throw new Error(`--platform must be one of ${PLATFORMS.join(', ')}, not "${value}"`);
      filter.platform = value as Platform;
    } else if (flag === '--reason') filter.reason = value;
    else if (flag === '--limit' && command === 'list-dead' && /^\d+$/.test(value)) limit = Number(value);
    else throw new Error(`unknown option ${flag} ${value}\n\n${OUTBOX_USAGE}`);
  }
  switch (command) {
    case 'list-dead':
      return { command, filter, limit };
    case 'retry-dead':
      return { command, filter };
    case 'status':
      if (rest.length > 0) throw new Error(`status takes no options\n\n${OUTBOX_USAGE}`);
      return { command };
    default:
      throw new Error(command ? `unknown command "${command}"\n\n${OUTBOX_USAGE}` : OUTBOX_USAGE);
  }
}

const describe = (f: DeadFilter) =>
  [f.platform ? `on ${f.platform}` : '', f.reason ? `with reason ${f.reason}` : ''].filter(Boolean).join(' ');

/** Runs one command against the outbox; answers the lines to print. */
export async function runOutboxCommand(cmd: OutboxCommand, outbox: OutboxStore, now: Date): Promise<string[]> {
  switch (cmd.command) {
    case 'list-dead': {
      const dead = await outbox.listDead(cmd.filter, cmd.limit);
      if (dead.length === 0) return [`no dead notifications ${describe(cmd.filter)}`.trim()];
      return dead.map((d) =>
        [
          d.diedAt?.toISOString() ?? '-',
          d.platform ?? '-',
          d.reason,
          d.type,
          d.ticket ?? '-',
          d.key,
          `attempts=${d.attempts}`,
          d.error ?? '',
        ].join('\t'),
      );
    }
    case 'retry-dead': {
      const n = await outbox.retryDead(cmd.filter, now);
      return [
        `${n} dead notification${n === 1 ? '' : 's'} ${describe(cmd.filter)} queued for delivery again`.replace(
          / {2}/g,
          ' ',
        ),
      ];
    }
    case 'status':
      return [JSON.stringify(await outbox.health(), null, 2)];
  }
}
