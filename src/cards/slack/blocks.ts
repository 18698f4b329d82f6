import { ACTION_IDS, type ActionId } from '../actions';
import { clip, inertPlain, LIMITS, md, plain } from './text';

/** A Block Kit block or element as JSON (the shapes are Slack's; builders below keep them within limits). */
export type Block = Record<string, unknown>;

export interface SlackMessage {
  /** Fallback text for notifications (mrkdwn, already escaped). */
  text: string;
  blocks: Block[];
}

export function header(text: string): Block {
  return { type: 'header', text: plain(text, LIMITS.headerText) };
}

/** A section of mrkdwn the caller has escaped. */
export function section(mrkdwn: string, extra: Block = {}): Block {
  return { type: 'section', text: md(mrkdwn, LIMITS.sectionText), ...extra };
}

/** Label/value pairs as section fields (at most 10 per section, 2000 characters each). */
export function fields(pairs: Array<[string, string]>): Block[] {
  const out: Block[] = [];
  for (let i = 0; i < pairs.length; i += 10) {
    out.push({
      type: 'section',
      fields: pairs.slice(i, i + 10).map(([k, v]) => md(`*${k}*\n${v}`, LIMITS.sectionField)),
    });
  }
  return out;
}

export function context(mrkdwn: string): Block {
  return { type: 'context', elements: [md(mrkdwn, LIMITS.contextText)] };
}

export function divider(): Block {
  return { type: 'divider' };
}

/** Action ids are ours (from cards/actions), optionally with a `:suffix` (CSAT score). */
export function actionId(id: ActionId, suffix?: string): string {
  return clip(suffix ? `${id}:${suffix}` : id, LIMITS.actionId);
}

export function button(
  text: string,
  id: ActionId,
  value: string,
  opts: { style?: 'primary' | 'danger'; suffix?: string } = {},
): Block {
  return {
    type: 'button',
    text: plain(text, LIMITS.buttonText),
    action_id: actionId(id, opts.suffix),
    value: clip(value, LIMITS.value),
    ...(opts.style ? { style: opts.style } : {}),
  };
}

export interface Option {
  text: string;
  value: string;
  description?: string;
}

export function option(o: Option): Block {
  return {
    text: plain(inertPlain(o.text), LIMITS.optionText),
    value: clip(o.value, LIMITS.optionValue),
    ...(o.description ? { description: plain(inertPlain(o.description), LIMITS.optionText) } : {}),
  };
}

export function staticSelect(placeholder: string, id: ActionId, options: Option[], initial?: string): Block {
  const opts = options.slice(0, LIMITS.selectOptions).map(option);
  const init = initial !== undefined ? opts.find((o) => o.value === initial) : undefined;
  return {
    type: 'static_select',
    action_id: actionId(id),
    placeholder: plain(placeholder, LIMITS.placeholder),
    options: opts,
    ...(init ? { initial_option: init } : {}),
  };
}

/** An actions block (at most 25 elements). The block id carries the card's revision (see `cardBlockId`). */
export function actions(elements: Block[], blockId?: string): Block {
  return {
    type: 'actions',
    elements: elements.slice(0, 25),
    ...(blockId ? { block_id: clip(blockId, LIMITS.blockId) } : {}),
  };
}

/** A modal input block. */
export function input(
  blockId: string,
  label: string,
  element: Block,
  opts: { optional?: boolean; hint?: string } = {},
): Block {
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label, LIMITS.inputLabel),
    element,
    optional: opts.optional ?? false,
    ...(opts.hint ? { hint: plain(opts.hint, LIMITS.inputLabel) } : {}),
  };
}

export function textInput(
  actionIdName: string,
  opts: { initial?: string; multiline?: boolean; max?: number; placeholder?: string } = {},
): Block {
  const max = opts.max ?? 3000;
  return {
    type: 'plain_text_input',
    action_id: actionIdName,
    multiline: opts.multiline ?? false,
    max_length: max,
    ...(opts.initial ? { initial_value: clip(opts.initial, max) } : {}),
    ...(opts.placeholder ? { placeholder: plain(opts.placeholder, LIMITS.placeholder) } : {}),
  };
}

/** A modal view, kept within its limits (title 24, 100 blocks, private_metadata 3000). */
export function modal(o: {
  callbackId: string;
  title: string;
  submit?: string;
  blocks: Block[];
  privateMetadata?: string;
}): Block {
  return {
    type: 'modal',
    callback_id: o.callbackId,
    title: plain(o.title, LIMITS.modalTitle),
    ...(o.submit ? { submit: plain(o.submit, LIMITS.modalButton) } : {}),
    close: plain('Cancel', LIMITS.modalButton),
    blocks: o.blocks.slice(0, LIMITS.modalBlocks),
    ...(o.privateMetadata !== undefined ? { private_metadata: clip(o.privateMetadata, LIMITS.privateMetadata) } : {}),
  };
}

/** Keep a message within 50 blocks: drop from the middle (before the trailing actions/context) if needed. */
export function fitMessage(blocks: Block[], note = '…more on the full ticket'): Block[] {
  if (blocks.length <= LIMITS.messageBlocks) return blocks;
  const tail = blocks.slice(-3);
  return [...blocks.slice(0, LIMITS.messageBlocks - 4), context(note), ...tail];
}

export function isOurActionId(id: string): boolean {
  return ACTION_IDS.includes(id.split(':')[0] ?? '');
}
