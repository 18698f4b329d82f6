import { REQUESTER_SEVERITIES, REQUESTER_SEVERITY_WORDS } from '../../domain/ticket/requester-severity';
import { Action } from '../actions';
import { ARTICLE_WORDS } from '../article';
import { choiceSet, execute, textInput } from './actions';
import type { CardChoices } from './choices';
import { adaptiveCard, type CardElement, clip, field, type Json, label, plain } from './text';

/** The most of the requester's words the form is pre-filled with (a card stays well under Teams' size limit). */
const PREFILL_MAX = 5000;

/** Said under the description when the requester's message was longer than the form holds. */
function clippedPrefillNote(description: string): CardElement[] {
  const length = description.trim().length;
  if (length <= PREFILL_MAX) return [];
  const n = (x: number) => x.toLocaleString('en-GB');
  return [
    plain(
      `Your message was long (${n(length)} characters): I kept the first ${n(PREFILL_MAX - 1)} above. Please add anything important that was cut, or attach it as a file or link.`,
      300,
      { isSubtle: true, spacing: 'None' },
    ),
  ];
}

/** What the bot understood from the requester's words, to pre-fill the form. */
export interface IntakePrefill {
  title: string;
  description: string;
  severity: number;
  severityReason?: string;
  categoryId: string | null;
  teamName?: string;
  client?: string;
  businessImpact?: string;
  evidence?: string;
  /** Guided intake: the one question asked now (id and words) and the ids asked so far, comma-separated. */
  question?: { id: string; text: string; asked: string };
  /** Information still missing, in the requester's words ("business impact", "client"...). */
  missing: string[];
  /** A note shown above the form (e.g. chargeable work goes to Quote Required). */
  note?: string;
  sourceLink?: string | null;
  /** Identifies this rendering of the form: a double submit of it raises one ticket. */
  formId?: string;
  /** An open incident this request looks like part of: "Add me to SR-n" beside Raise ticket. */
  incident?: string;
  /** The knowledge article answered first that did not solve it: said above the form, noted by the raise. */
  article?: { id: string; title: string };
}

const MISSING_WORDS: Record<string, string> = {
  businessImpact: 'the business impact',
  client: 'which client is affected',
  evidence: 'the error message or a screenshot link',
  steps: 'the steps to reproduce',
};

export function missingInWords(missing: readonly string[]): string[] {
  return missing.map((m) => MISSING_WORDS[m] ?? m);
}

/**
 * The intake form, pre-filled. In chat its button is a Universal Action (with an `Action.Submit`
 * fallback); in a dialog (message extension task module) it must be a plain `Action.Submit`.
 */
export function intakeFormCard(p: IntakePrefill, choices: CardChoices, mode: 'chat' | 'dialog'): Json {
  const body: CardElement[] = [];
  if (mode === 'chat') {
    body.push(
      label("Here's what I understood. Check it, add what's missing and press **Raise ticket**.", { weight: 'Bolder' }),
    );
    body.push(field('Summary', p.title, 200));
    if (p.teamName) body.push(field('Owning team', p.teamName, 200));
    if (p.severityReason) body.push(field('Suggested severity', p.severityReason, 300));
  } else {
    body.push(label('Raise a support ticket', { weight: 'Bolder', size: 'Medium' }));
  }
  if (p.note) body.push(plain(p.note, 1000, { italic: true }));
  if (p.article) body.push(plain(`${ARTICLE_WORDS.notSolved} (${p.article.title})`, 300, { isSubtle: true }));
  const data: Record<string, string> = {
    ...(p.sourceLink ? { sourceLink: clip(p.sourceLink, 1000) } : {}),
    ...(p.formId ? { form: p.formId } : {}),
    ...(p.incident ? { incident: p.incident } : {}),
    ...(p.article ? { article: p.article.id } : {}),
  };
  if (p.incident && mode === 'chat')
    body.push(
      plain(
        `This looks like the outage we are working on (${p.incident}). Add your request to it with "Add me to ${p.incident}": you get its updates here, and its fix reaches you with everyone else's. If yours is something else, raise it on its own.`,
        500,
        { weight: 'Bolder' },
      ),
    );
  if (p.question && mode === 'chat') {
    // Guided intake: one short question at a time; the answer goes into the form below.
    const q = { ...data, question: p.question.id, asked: p.question.asked };
    body.push(
      label(p.question.text, { weight: 'Bolder', spacing: 'Medium' }),
      textInput('answer', 'Your answer', { multiline: true, maxLength: 2000 }),
      {
        type: 'ActionSet',
        actions: [
          execute('Answer', Action.AnswerQuestion, q),
          execute('Skip', Action.AnswerQuestion, { ...q, skip: '1' }),
        ],
      },
      plain('Or press Raise ticket at the bottom to raise it now.', 200, { isSubtle: true, spacing: 'None' }),
    );
  } else {
    const missing = missingInWords(p.missing);
    if (missing.length > 0) body.push(plain(`Please also tell us ${missing.join(', ')}.`, 500));
  }
  body.push(
    textInput('title', 'Summary', { value: clip(p.title, 200), required: true, maxLength: 200 }),
    textInput('description', 'Description', {
      value: clip(p.description, PREFILL_MAX),
      multiline: true,
      maxLength: 20_000,
    }),
    ...clippedPrefillNote(p.description),
    // The requester's own view (optional, unset by default): a hint Level 1 sees, never the severity by itself.
    {
      type: 'Input.ChoiceSet',
      id: 'requesterSeverity',
      label: 'How bad is it?',
      style: 'compact',
      placeholder: 'In your words (optional)',
      choices: REQUESTER_SEVERITIES.map((s) => ({ title: REQUESTER_SEVERITY_WORDS[s], value: String(s) })),
    },
    choiceSet(
      'severity',
      'Severity',
      choices.severities.map((s) => ({ title: `${s.value} · ${s.name}`, value: String(s.value) })),
      String(p.severity),
    ),
    {
      type: 'Input.ChoiceSet',
      id: 'category',
      label: 'Category',
      style: 'compact',
      choices: [
        { title: 'Let support decide', value: 'none' },
        ...choices.categories.map((c) => ({ title: c.name, value: c.id })),
      ],
      value: p.categoryId ?? 'none',
    },
    clientTypeahead(),
    textInput('client', 'Client (if it is not in the directory)', { value: clip(p.client ?? '', 200), maxLength: 200 }),
    textInput('businessImpact', 'Business impact', { value: clip(p.businessImpact ?? '', 2000), multiline: true }),
    textInput('evidence', 'Error message or screenshot link', {
      value: clip(p.evidence ?? '', 2000),
      multiline: true,
    }),
  );
  const submit =
    mode === 'chat'
      ? execute(p.incident ? 'Raise on its own' : 'Raise ticket', Action.SubmitForm, data, {
          style: p.incident ? 'default' : 'positive',
        })
      : { type: 'Action.Submit', title: 'Raise ticket', style: 'positive', data: { ...data, verb: Action.SubmitForm } };
  const join =
    p.incident && mode === 'chat'
      ? [execute(`Add me to ${p.incident}`, Action.SubmitForm, { ...data, join: '1' }, { style: 'positive' })]
      : [];
  return adaptiveCard(body, [...join, submit]);
}

/** The dataset of the client typeahead (Teams asks the bot with an `application/search` invoke). */
export const CLIENT_DATASET = 'helpline.clients';

/** A client picked from the directory: Input.ChoiceSet with dynamic typeahead (`choices.data` / `Data.Query`). */
function clientTypeahead(): Json {
  return {
    type: 'Input.ChoiceSet',
    id: 'clientId',
    label: 'Client from the directory',
    style: 'filtered',
    isMultiSelect: false,
    // A static choice is required; the typeahead adds the directory's clients as the requester types.
    choices: [{ title: 'Not listed / not sure', value: 'none' }],
    value: 'none',
    'choices.data': { type: 'Data.Query', dataset: CLIENT_DATASET, count: 15 },
  };
}
