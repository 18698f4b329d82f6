/**
 * The crash switch of test builds: `HELPLINE_CRASH_AT=<step>` makes the process kill itself (SIGKILL: no shutdown,
 * no flush, as a crash or an OOM kill) the first time its work reaches that named step, so a test can stop a replica
 * between any two writes of a raise, a click, an escalation or a delivery and check that a retry on another replica
 * finishes it. Refused with NODE_ENV=production (src/config/env.ts); off unless armed at start-up.
 */

/** Every step a crash can be asked at, in the order the work reaches them. */
export const CRASH_STEPS = [
  'raise:claimed', // the raise's operation key claimed (processed_events)
  'raise:numbered', // its ticket number taken and bound to the claim
  'ticket:saved', // a ticket inserted or saved, its events and notices parked on it
  'ticket:queued', // the parked events and notices moved (just after the answer: store/parked-mover.ts)
  'raise:posted', // the confirmation posted to the requester (under the raise's claim, or its own `:told` claim)
  'raise:done', // the raise recorded as done (with its confirmation as told, when posted under its claim)
  'raise:recorded', // the confirmation recorded as posted
  'change:claimed', // a click's operation key claimed
  'change:done', // the click recorded as done
  'sweep:saved', // the SLA sweep saved its tickets (breach, escalation), notices parked
  'delivery:posted', // an outbox item posted to the platform
  'delivery:recorded', // its delivery recorded
] as const;
export type CrashStep = (typeof CRASH_STEPS)[number];

let armed: CrashStep | null = null;

/** Arms the switch (start-up, from the parsed environment). */
export function armCrashSwitch(step: CrashStep | undefined): void {
  armed = step ?? null;
}

/** A named step of the work: when the switch is armed at it, the process dies here. */
export function crashPoint(step: CrashStep): void {
  if (armed !== step) return;
  process.stderr.write(`HELPLINE_CRASH_AT=${step}: crashing now\n`);
  process.kill(process.pid, 'SIGKILL');
}
