/**
 * Every change a ticket can undergo, by flow: intake (raise, messages), triage (assign, severity,
 * priority, category, team, questions), escalation (Team Ticketing, Development, customer
 * escalations, alerts) and resolution (resolve, confirm, reopen, rate, close).
 */
export { LIMITS, type OpContext, type OpResult, rolesOn } from './change';
export * from './client';
export * from './development';
export * from './escalation';
export * from './follow-up';
export * from './intake';
export * from './links';
export * from './quote';
export * from './release';
export * from './release-cutoff';
export * from './resolution';
export * from './roadmap';
export * from './triage';
