import { Action } from '../actions';
import { execute, textInput } from './actions';
import { adaptiveCard, type Json, label, plain } from './text';

/** What the preview shows: the reply filled from the ticket (see src/app/replies.ts `previewReply`). */
export interface ReplyPreviewView {
  number: string;
  requester: string;
  label: string;
  replyId: string;
  text: string;
  /** The status the ticket moves to once sent, by name; null when it stays. */
  moveTo: string | null;
}

/**
 * A canned reply before it is sent: the filled text, editable, with Send (the reply's id; its status move is the
 * policy's) and Cancel (the ticket's card again). It replaces the card the reply was picked on, as an answer does.
 */
export function replyPreviewCard(p: ReplyPreviewView, d: Record<string, string>): Json {
  const then = p.moveTo ? `Once sent, ${p.number} moves to ${p.moveTo}.` : 'The status does not change.';
  return adaptiveCard(
    [
      label(`Canned reply for ${p.number}`, { weight: 'Bolder', size: 'Medium' }),
      plain(`${p.label}: to ${p.requester}. Check it, edit it if need be, and send. ${then}`, 500),
      textInput('message', 'Message to the requester', { value: p.text, multiline: true, required: true }),
    ],
    [
      execute('Send', Action.Reply, { ...d, reply: p.replyId }, { style: 'positive' }),
      execute('Cancel', Action.RefreshCard, d),
    ],
  );
}
