import { IANAZone } from 'luxon';
import { z } from 'zod';

/**
 * The `clients:` section of the policy (or the whole of CLIENTS_FILE): the YAML client directory, who raises
 * for which client, and how the HubSpot directory maps its company properties.
 */

const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'expected an IANA time zone like "America/Chicago"');

const contact = z.strictObject({
  name: z.string().min(1),
  email: z.email().optional(),
  phone: z.string().min(1).optional(),
  /** Job title or role, e.g. "Finance systems admin". */
  role: z.string().min(1).optional(),
});

const domain = z
  .string()
  .regex(/^(?:[a-z0-9-]+\.)+[a-z]{2,}$/i, { error: 'expected an email domain like "acme.example"' })
  .transform((d) => d.toLowerCase());

export const clientSchema = z.strictObject({
  name: z.string().min(1),
  /** Other names staff use ("ACME"): matched in request text and in the form. */
  aliases: z.array(z.string().min(2)).default([]),
  /** Email domains of the client's people: a requester at one of them is raising for this client. */
  domains: z.array(domain).default([]),
  adminContacts: z.array(contact).default([]),
  erp: z.string().min(1).optional(),
  /** A short summary of the client's unique configurations (seed 004 §5.9). */
  customisations: z.string().min(1).optional(),
  /** The client's SLA tier: a key (or name) of the policy's `tiers`; its targets drive the clocks. */
  supportTier: z.string().min(1).optional(),
  /** The client's support calendar: a key (or name) of the policy's `calendars`; the clocks count its hours. */
  calendar: z.string().min(1).optional(),
  timeZone: timeZone.optional(),
});

const minutes = z
  .string()
  .regex(/^\d+(m|h)$/, { error: 'expected a duration like "5m" or "1h"' })
  .transform((s) => (s.endsWith('h') ? Number(s.slice(0, -1)) * 60 : Number(s.slice(0, -1))));

export const hubspotMappingSchema = z.strictObject({
  /** Company property holding the client's ERP system. */
  erpProperty: z.string().min(1).default('erp_system'),
  /** Company property holding the customisation summary. */
  customisationsProperty: z.string().min(1).default('customisation_summary'),
  supportTierProperty: z.string().min(1).default('support_tier'),
  /** Company property naming the client's support calendar (a key of the policy's `calendars`). */
  calendarProperty: z.string().min(1).default('support_calendar'),
  timeZoneProperty: z.string().min(1).default('time_zone'),
  /** How long a HubSpot answer is reused before asking again. */
  cacheFor: minutes.default(5),
  /** Give up on a HubSpot call after this long (the card then says the record is unavailable). */
  timeoutMs: z.number().int().min(100).max(30_000).default(3000),
  /** Your HubSpot account id, for links to the company record on cards (optional). */
  portalId: z.string().regex(/^\d+$/).optional(),
  /** HubSpot's web host for those links. */
  appHost: z.string().default('app.hubspot.com'),
  /**
   * The HubSpot account's time zone (Settings → Account defaults): its daily API limit resets at midnight there, so a
   * DAILY 429 holds HubSpot calls until then.
   */
  accountTimeZone: z
    .string()
    .refine((zone) => IANAZone.isValidZone(zone), 'an IANA time zone such as "America/New_York"')
    .default('UTC'),
});

export const clientsSchema = z.strictObject({
  /** The YAML directory: client id → record (used when HUBSPOT_TOKEN is unset). */
  directory: z
    .record(z.string().regex(/^[a-z0-9-]+$/, 'client ids are lower-case like "acme"'), clientSchema)
    .default({}),
  /** People who raise for a client: a person id of the policy, or an email address → a client id, name or domain. */
  people: z.record(z.string().min(1), z.string().min(1)).default({}),
  hubspot: hubspotMappingSchema.default(hubspotMappingSchema.parse({})),
});

export type ClientsPolicy = z.output<typeof clientsSchema>;
export type ClientSpec = z.output<typeof clientSchema>;
export type HubspotMapping = z.output<typeof hubspotMappingSchema>;
export const EMPTY_CLIENTS: ClientsPolicy = clientsSchema.parse({});
