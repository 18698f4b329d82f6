import type { Connection } from 'mongoose';
import type {
  DraftRepository,
  OperationLog,
  TicketEventRepository,
  TicketRepository,
  TicketSearchStore,
} from '../app/ports';
import type { Store } from './connection';
import { MongoDraftRepository } from './draft.repository';
import { type Models, registerModels } from './models';
import { MongoOperationLog } from './operation-log.repository';
import { MongoTicketRepository, type RepositoryOptions } from './ticket.repository';
import { MongoTicketEventRepository } from './ticket-event.repository';
import { MongoTicketSearch } from './ticket-search.repository';

export {
  type ConnectOptions,
  connectStore,
  describeHost,
  type PingResult,
  type Store,
  type StoreLogger,
} from './connection';
export { isUnavailableError, translateError } from './errors';
export type { Models } from './models';
export { type OutboxDoc, type OutboxStatus, outboxModel } from './outbox.model';
export type { RepositoryOptions } from './ticket.repository';

export interface Repositories {
  tickets: TicketRepository;
  events: TicketEventRepository;
  operations: OperationLog;
  drafts: DraftRepository;
  /** The tickets' search terms and their index. */
  ticketSearch: TicketSearchStore;
  /** The mongoose models (the notifier claims from `models.Outbox`). */
  models: Models;
}

/**
 * Every repository on one connection: a Store from connectStore (its logger hears about flushes that failed
 * after their save committed, unless `opts.log` is given), or a bare mongoose connection.
 */
export function createRepositories(source: Store | Connection, opts: RepositoryOptions = {}): Repositories {
  const store = 'ping' in source && 'isUp' in source ? source : undefined;
  const models = store ? store.models : registerModels(source as Connection);
  const log = opts.log ?? store?.log;
  return {
    tickets: new MongoTicketRepository(models, { ...opts, ...(log ? { log } : {}) }),
    events: new MongoTicketEventRepository(models),
    operations: new MongoOperationLog(models, {
      ...(opts.clock ? { clock: opts.clock } : {}),
      ...(opts.heartbeatMs ? { heartbeatMs: opts.heartbeatMs } : {}),
    }),
    drafts: new MongoDraftRepository(models),
    ticketSearch: new MongoTicketSearch(models),
    models,
  };
}
