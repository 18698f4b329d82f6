import * as op from '../domain/ticket/operations';
import { type AppDeps, changeTicket, type UseCaseResult } from './context';
import type { TicketCommand } from './ticket-actions';

/** A low rating's follow-up, by an agent (the Team Lead's card): decided from who the actor is, as every action. */
const followUp = (deps: AppDeps, cmd: TicketCommand, operation: Parameters<typeof changeTicket>[2]) =>
  changeTicket(deps, { ...cmd, action: 'followUp', counted: 'action' }, operation);

/** "Called them": the requester was called about their rating; the follow-up is done. */
export const followUpCalled = (deps: AppDeps, cmd: TicketCommand): Promise<UseCaseResult> =>
  followUp(deps, cmd, (t, c) => op.followUpCalled(t, c));

/** A note on the follow-up; marked "you said, we did", the requester is told and the follow-up is done. */
export const followUpNote = (
  deps: AppDeps,
  cmd: TicketCommand,
  a: { text: string; toRequester: boolean },
): Promise<UseCaseResult> => followUp(deps, cmd, (t, c) => op.followUpNote(t, a, c));
