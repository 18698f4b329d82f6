import type { InvokeResponse } from 'botbuilder';
import { z } from 'zod';
import { searchClientsFor } from '../../app/client-record';
import type { App } from '../../bootstrap';
import { CLIENT_DATASET } from '../../cards/teams';
import { RateLimitedError } from '../../domain/errors';
import type { Actor } from '../../domain/ticket/ticket';

const searchValue = z.object({
  queryText: z.string().max(200).default(''),
  dataset: z.string().max(100),
  queryOptions: z
    .object({ top: z.number().int().min(1).max(50).optional() })
    .passthrough()
    .optional(),
});

/**
 * The intake form's client typeahead (`Data.Query` on an Input.ChoiceSet): Teams sends an `application/search`
 * invoke with what was typed; we answer with the clients this person may pick (none while the directory is unavailable).
 */
export async function clientSearch(app: App, actor: Actor, value: unknown): Promise<InvokeResponse> {
  const parsed = searchValue.safeParse(value);
  if (!parsed.success || parsed.data.dataset !== CLIENT_DATASET)
    return {
      status: 400,
      body: {
        statusCode: 400,
        type: 'application/vnd.microsoft.error',
        value: { code: 'BadRequest', message: 'unknown search' },
      },
    };
  let results: Array<{ title: string; value: string }> = [];
  try {
    const found = await searchClientsFor(app, actor, parsed.data.queryText, parsed.data.queryOptions?.top ?? 15);
    results = found.map((c) => ({ title: c.name.slice(0, 200), value: c.id }));
  } catch (err) {
    if (err instanceof RateLimitedError) app.log.info({ userId: actor.userId }, 'Teams: client typeahead rate limited');
    else app.log.warn({ err: (err as Error).message }, 'Teams: client typeahead unavailable');
  }
  return {
    status: 200,
    body: { statusCode: 200, type: 'application/vnd.microsoft.search.searchResponse', value: { results } },
  };
}
