import { REQUESTER_SEVERITIES, REQUESTER_SEVERITY_WORDS } from '../../domain/ticket/requester-severity';
import { CLOSE_REASON_WORDS } from '../../domain/ticket/resolution';
import { Action, View } from '../actions';
import {
  actions,
  type Block,
  button,
  context,
  fields,
  input,
  modal,
  option,
  type SlackMessage,
  section,
  textInput,
} from './blocks';
import { escapeMrkdwn, LIMITS, plain, userText } from './text';
import type { SlackChoices } from './ticket-card';

/** What the bot understood from plain words (from the triage suggestion), in the requester's terms. */
export interface Understood {
  summary: string;
  category: { name: string; teamName: string; reason: string } | null;
  severity: { value: number; name: string; reason: string };
  missing: string[];
  /** Policy text when the request is chargeable / a change request (still raised). */
  note?: string;
  /** What the requester has told the guided intake so far. */
  given?: { client?: string | undefined; businessImpact?: string | undefined };
}

const MISSING_WORDS: Record<string, string> = {
  businessImpact: 'the business impact (who is affected, what is blocked)',
  client: 'the client or company',
  evidence: 'an error message, screenshot or log link',
  steps: 'the steps to reproduce it',
};

export function missingInWords(missing: string[]): string {
  return missing.map((m) => MISSING_WORDS[m] ?? m).join('; ');
}

/**
 * The threaded reply to plain words: what was understood, and "Raise ticket" / "Open form" (value: the draft id).
 * With a `question` (guided intake), the question comes first and the buttons say "Raise it anyway".
 */
export function understoodMessage(u: Understood, draftId: string, question?: string, incident?: string): SlackMessage {
  const pairs: Array<[string, string]> = [
    ['Summary', userText(u.summary, 500)],
    [
      'Category and team',
      u.category
        ? `${escapeMrkdwn(u.category.name)} → ${escapeMrkdwn(u.category.teamName)}\n_${userText(u.category.reason, 300)}_`
        : 'Not sure yet: Level 1 will route it',
    ],
    [
      'Suggested severity',
      `${u.severity.value} (${escapeMrkdwn(u.severity.name)})\n_${userText(u.severity.reason, 300)}_`,
    ],
  ];
  if (u.given?.client) pairs.push(['Client', userText(u.given.client, 300)]);
  if (u.given?.businessImpact) pairs.push(['Business impact', userText(u.given.businessImpact, 600)]);
  const blocks: Block[] = [
    section(
      question
        ? 'Here is what I understood so far.'
        : 'Here is what I understood. Raise it as it is, or open the form to add details.',
    ),
  ];
  blocks.push(...fields(pairs));
  if (u.note) blocks.push(context(userText(u.note, 1500)));
  if (question) {
    blocks.push(section(`*${escapeMrkdwn(question)}*`));
    blocks.push(
      context('Reply in this thread, or say "skip" to skip this question, or "raise it anyway" to raise it now.'),
    );
  }
  const join = incident ?? null;
  if (join)
    blocks.push(
      section(
        `This looks like the outage we are working on (*${join}*). Add your request to it? You get its updates here, and its fix reaches you with everyone else's. If yours is something else, raise it on its own.`,
      ),
    );
  blocks.push(
    actions([
      ...(join ? [button(`Add me to ${join}`, Action.JoinIncident, draftId, { style: 'primary' })] : []),
      button(
        join ? 'Raise on its own' : question ? 'Raise it anyway' : 'Raise ticket',
        Action.RaiseNow,
        draftId,
        join ? {} : { style: 'primary' },
      ),
      button('Open form', Action.OpenForm, draftId),
    ]),
  );
  const lead = question
    ? `${userText(question, 300)} (${userText(u.summary, 200)})`
    : `Here is what I understood: ${userText(u.summary, 300)}`;
  return { text: lead, blocks };
}

export interface IntakePrefill {
  title: string;
  description: string;
  businessImpact?: string;
  client?: string;
  severity: number;
  categoryId: string | null;
  links?: string;
}

/** Where the form was opened from, carried in private_metadata (validated on submit). */
export interface IntakeMetadata {
  sourceLink?: string | null;
  channel?: string | null;
  threadTs?: string | null;
  draftId?: string | null;
  /** Raised from someone else's message: its author (Slack user id), who becomes the requester. */
  onBehalfOf?: string | null;
}

export const INTAKE_BLOCKS = {
  title: 'title',
  description: 'description',
  impact: 'impact',
  client: 'client',
  /** The client picked from the directory (external_select, action id Action.PickClient). */
  clientPick: 'client_pick',
  category: 'category',
  severity: 'severity',
  /** The requester's "How bad is it?" (optional, unset by default): a hint for Level 1, not the severity. */
  howBad: 'how_bad',
  links: 'links',
} as const;
export const INPUT_ACTION = 'value';

/** The intake modal, pre-filled (summary, description, impact, client, category, severity with the guide, links). */
export function intakeModal(p: IntakePrefill, c: SlackChoices, meta: IntakeMetadata = {}): Block {
  const sevOptions = c.severities.map((s) => ({
    text: `${s.value} · ${s.name}`,
    value: String(s.value),
    description: s.description,
  }));
  const catOptions = [{ text: 'Not sure', value: 'none' }, ...c.categories.map((x) => ({ text: x.name, value: x.id }))];
  const sevInitial = sevOptions.find((o) => o.value === String(p.severity));
  const catInitial = catOptions.find((o) => o.value === (p.categoryId ?? 'none'));
  const blocks: Block[] = [
    input(INTAKE_BLOCKS.title, 'Summary', textInput(INPUT_ACTION, { initial: p.title, max: 150 })),
    input(
      INTAKE_BLOCKS.description,
      'Description',
      textInput(INPUT_ACTION, { initial: p.description, multiline: true, max: 3000 }),
      { optional: true },
    ),
    input(
      INTAKE_BLOCKS.impact,
      'Business impact',
      textInput(INPUT_ACTION, {
        ...(p.businessImpact ? { initial: p.businessImpact } : {}),
        multiline: true,
        max: 2000,
        placeholder: 'Who is affected, what is blocked, any deadline',
      }),
      { optional: true },
    ),
    input(
      INTAKE_BLOCKS.howBad,
      'How bad is it?',
      {
        type: 'static_select',
        action_id: INPUT_ACTION,
        placeholder: plain('In your words', LIMITS.placeholder),
        options: REQUESTER_SEVERITIES.map((s) => option({ text: REQUESTER_SEVERITY_WORDS[s], value: String(s) })),
      },
      {
        optional: true,
        hint: 'Triage reads the severity from your description; this tells Level 1 how it feels to you',
      },
    ),
    clientPickInput(),
    input(
      INTAKE_BLOCKS.client,
      'Client',
      textInput(INPUT_ACTION, { ...(p.client ? { initial: p.client } : {}), max: 200 }),
      { optional: true, hint: 'Or type its name if it is not in the directory' },
    ),
    input(
      INTAKE_BLOCKS.category,
      'Category',
      {
        type: 'static_select',
        action_id: INPUT_ACTION,
        options: catOptions.slice(0, LIMITS.selectOptions).map(option),
        ...(catInitial ? { initial_option: option(catInitial) } : {}),
      },
      { optional: true },
    ),
    input(INTAKE_BLOCKS.severity, 'Severity', {
      type: 'static_select',
      action_id: INPUT_ACTION,
      options: sevOptions.map(option),
      ...(sevInitial ? { initial_option: option(sevInitial) } : {}),
    }),
    context(
      c.severities.map((s) => `*${s.value} · ${escapeMrkdwn(s.name)}*: ${escapeMrkdwn(s.description)}`).join('\n'),
    ),
    input(
      INTAKE_BLOCKS.links,
      'Links to screenshots, logs or error messages',
      textInput(INPUT_ACTION, { ...(p.links ? { initial: p.links } : {}), multiline: true, max: 2000 }),
      { optional: true },
    ),
  ];
  if (meta.sourceLink) blocks.push(context(`From: ${userText(meta.sourceLink, 500)}`));
  return modal({
    callbackId: View.Intake,
    title: 'Raise a ticket',
    submit: 'Raise',
    blocks,
    privateMetadata: JSON.stringify(meta),
  });
}

/** A one-question modal about a ticket (request info, resolve, release note, escalate, CSAT comment). */
export function ticketModal(o: {
  callbackId: string;
  title: string;
  submit: string;
  ticket: string;
  intro: string;
  inputs: Array<{ block: string; label: string; optional?: boolean; multiline?: boolean; initial?: string }>;
  extra?: Block[];
  metadata?: Record<string, string>;
}): Block {
  const blocks: Block[] = [section(o.intro)];
  for (const i of o.inputs)
    blocks.push(
      input(
        i.block,
        i.label,
        textInput(INPUT_ACTION, { multiline: i.multiline ?? true, max: 2000, initial: i.initial }),
        {
          optional: i.optional ?? false,
        },
      ),
    );
  blocks.push(...(o.extra ?? []));
  return modal({
    callbackId: o.callbackId,
    title: o.title,
    submit: o.submit,
    blocks,
    privateMetadata: JSON.stringify({ ticket: o.ticket, ...(o.metadata ?? {}) }),
  });
}

/** The CSAT score select for the comment modal. */
/** "The impact has increased": an optional choice of a higher priority for a customer escalation. */
export function higherPriorityInput(higher: Array<{ value: number; name: string }>): Block[] {
  if (higher.length === 0) return [];
  const opts = higher.map((p) => ({ text: `${p.value} · ${p.name}`, value: String(p.value) }));
  return [
    input(
      'priority',
      'Impact on you now',
      { type: 'static_select', action_id: INPUT_ACTION, options: opts.map(option) },
      { optional: true },
    ),
  ];
}

/** An agent recording a requester's escalation: how it came (phone or email); empty when they escalate themselves. */
export function escalationViaInput(): Block {
  const opts = [
    { text: 'By phone', value: 'phone' },
    { text: 'By email', value: 'email' },
  ];
  return input(
    'via',
    'The requester asked',
    { type: 'static_select', action_id: INPUT_ACTION, options: opts.map(option) },
    { optional: true, hint: 'For an escalation that came by phone or email; leave empty to escalate yourself.' },
  );
}

export function csatScoreInput(initial?: string): Block {
  const opts = [5, 4, 3, 2, 1].map((n) => ({ text: `${n} / 5`, value: String(n) }));
  const init = opts.find((o) => o.value === initial) ?? opts[0];
  return input('score', 'Score', {
    type: 'static_select',
    action_id: INPUT_ACTION,
    options: opts.map(option),
    ...(init ? { initial_option: option(init) } : {}),
  });
}

/** The client typeahead: options come from the client directory (Bolt `options` listener for Action.PickClient). */
function clientPickInput(): Block {
  return input(
    INTAKE_BLOCKS.clientPick,
    'Client from the directory',
    {
      type: 'external_select',
      action_id: Action.PickClient,
      min_query_length: 1,
      placeholder: plain('Type to search clients', LIMITS.placeholder),
    },
    { optional: true },
  );
}

/** What the Link form does: the words of each choice (the value is the link command's kind). */
export const LINK_CHOICES = [
  { value: 'part_of', text: 'Part of incident (SR-n)' },
  { value: 'related_to', text: 'Related to (SR-n)' },
  { value: 'unlink', text: 'Unlink from its incident' },
] as const;

/** The choice of the Link form. */
export function linkKindInput(): Block {
  return input('kind', 'Link how?', {
    type: 'static_select',
    action_id: INPUT_ACTION,
    options: LINK_CHOICES.map((c) => option({ text: c.text, value: c.value })),
    initial_option: option({ text: LINK_CHOICES[0].text, value: LINK_CHOICES[0].value }),
  });
}

/** The reason select of the Close form (Close with a reason). */
export function closeReasonInput(): Block {
  const opts = Object.entries(CLOSE_REASON_WORDS).map(([value, r]) => ({ text: r.name, value }));
  return input('reason', 'Why is it closed?', {
    type: 'static_select',
    action_id: INPUT_ACTION,
    options: opts.map(option),
  });
}
