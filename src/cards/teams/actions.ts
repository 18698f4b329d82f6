import type { ActionId } from '../actions';
import type { CardElement, Json } from './text';

/** Data every ticket button carries: which ticket, and which card it sits on (so the answer re-renders that card). */
export interface ActionData {
  ticket: string;
  card: string;
  [key: string]: string;
}

/**
 * A Universal Action button (`Action.Execute`, handled as an `adaptiveCard/action` invoke), with an
 * `Action.Submit` fallback for clients without Universal Actions: that one arrives as a message whose
 * `value.verb` names the same action.
 */
export function execute(title: string, verb: ActionId, data: Record<string, string>, opts: Json = {}): Json {
  return {
    type: 'Action.Execute',
    title,
    verb,
    data,
    ...opts,
    fallback: { type: 'Action.Submit', title, data: { ...data, verb } },
  };
}

/** A button that opens a small inline form; its inputs are sent with the inner button's action. */
export function showCard(title: string, body: CardElement[], submit: Json): Json {
  return {
    type: 'Action.ShowCard',
    title,
    card: { type: 'AdaptiveCard', body, actions: [submit] },
  };
}

export function choiceSet(
  id: string,
  label: string,
  choices: Array<{ title: string; value: string }>,
  value?: string,
): CardElement {
  return {
    type: 'Input.ChoiceSet',
    id,
    label,
    style: 'compact',
    isRequired: true,
    errorMessage: `Choose ${label.toLowerCase()}`,
    choices,
    ...(value !== undefined ? { value } : {}),
  };
}

export function textInput(
  id: string,
  label: string,
  opts: { value?: string; placeholder?: string; multiline?: boolean; required?: boolean; maxLength?: number } = {},
): CardElement {
  return {
    type: 'Input.Text',
    id,
    label,
    isMultiline: opts.multiline ?? false,
    maxLength: opts.maxLength ?? 2000,
    ...(opts.value ? { value: opts.value } : {}),
    ...(opts.placeholder ? { placeholder: opts.placeholder } : {}),
    ...(opts.required ? { isRequired: true, errorMessage: `${label} is required` } : {}),
  };
}
