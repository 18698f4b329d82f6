export { type ActionData, choiceSet, execute, showCard, textInput } from './actions';
export { type CardChoices, choicesFromPolicy } from './choices';
export { clientElements, clientRecordCard } from './client-section';
export { CLIENT_DATASET, type IntakePrefill, intakeFormCard, missingInWords } from './intake-form';
export { helpCard, messageCard, type TicketLine, ticketListCard } from './message-card';
export { type QueueCardScope, type QueueLine, queueCard, queueLineContainer } from './queue-card';
export { searchCard } from './search-card';
export { adaptiveCard, CARD_BYTES_MAX, cardBytes, clip, escapeMarkdown, type Json } from './text';
export { TICKET_CARD_KINDS, type TicketCardKind, type TicketCardOptions, ticketCard, type Viewer } from './ticket-card';
