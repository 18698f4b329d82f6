import { z } from 'zod';
import { clientsSchema, EMPTY_CLIENTS } from './clients.schema';
import {
  DEFAULT_DEVELOPMENT,
  DEFAULT_RELEASES,
  developmentIssues,
  developmentSchema,
  pausedInDevelopmentSchema,
  releasesSchema,
} from './development.schema';
import { EMPTY_KNOWLEDGE, knowledgeSchema } from './knowledge.schema';
import { repliesSchema } from './replies.schema';
import {
  calendarSchema,
  duration,
  namedCalendarSchema,
  positiveDuration,
  serviceNameIssues,
  targets,
  tierSchema,
} from './service.schema';

/**
 * The policy file's schema. Everything an organisation would change (hours, SLA targets, teams,
 * contacts, coverage lists, channels) lives in the YAML policy, validated here once at start-up.
 */

export * from './development.schema';
export * from './policy-sections';
export * from './vocabulary';

import {
  assignmentSchema,
  COMPLAINT_WORDS,
  contactSchema,
  DEFAULT_ASSIGNMENT,
  DEFAULT_DELIVERY,
  DEFAULT_LIMITS,
  deliverySchema,
  rateLimit,
} from './policy-sections';
import {
  DEVELOPMENT_ROUTES,
  FIRST_RESPONSE_ACTIONS,
  LADDER_PAUSES,
  PLATFORMS,
  type Priority,
  REQUEST_TYPES,
  ROLES,
  type Severity,
  STATUSES,
  SUPPORT_STATUSES,
  TEAM_IDS,
} from './vocabulary';

const platformId = z.string().min(1);
const accounts = z
  .strictObject({ slack: platformId.optional(), teams: platformId.optional(), playground: platformId.optional() })
  .refine(
    (a) => a.slack || a.teams || a.playground,
    'a person needs at least one platform id (slack, teams or playground)',
  );

const person = z.strictObject({
  name: z.string().min(1),
  email: z.email().optional(),
  accounts,
  /** Where direct messages to this person go. */
  notify: z.enum(PLATFORMS).optional(),
});

const team = z.strictObject({
  name: z.string().min(1),
  role: z.enum(TEAM_IDS),
  description: z.string().default(''),
  /** Person ids (keys of `people`). */
  members: z.array(z.string()).default([]),
  /** The team's leads (person ids): they assign, reassign and unassign anyone in the team, like a manager. */
  leads: z.array(z.string()).default([]),
});

/** Ladder level index (1 = Team Lead) the breach ladder may climb to. */
const ladderLevelIndex = z.number({ error: 'expected a ladder level number, e.g. 1 for the Team Lead' }).int().min(1);

const severity = z.strictObject({
  name: z.string().min(1),
  description: z.string().min(1),
  example: z.string().min(1),
  /** Targets for this severity; missing ones are `sla.targets`. */
  response: positiveDuration.optional(),
  resolution: positiveDuration.optional(),
  /** Tighter (or looser) targets for one priority within this severity: `byPriority: { 1: { response: 15m } }`. */
  byPriority: z
    .strictObject({ 1: targets.optional(), 2: targets.optional(), 3: targets.optional(), 4: targets.optional() })
    .default({}),
  /** Which hours the clocks count: `business` (the calendar) or `24x7` (every hour, in the calendar's time zone). */
  calendar: z.enum(['business', '24x7']).default('business'),
  /** Highest ladder level a breach of this severity climbs to; the top of the ladder when missing. */
  ladderUpTo: ladderLevelIndex.optional(),
  /** Phrases in a request that suggest this severity (the seed's severity guide). */
  signals: z.array(z.string().min(2)).default([]),
  /** Severity 1 "requires immediate escalation to Development Triage". */
  immediateEscalation: z.boolean().default(false),
});

const priority = z.strictObject({
  name: z.string().min(1),
  description: z.string().min(1),
  /** A breach of this priority may climb at least this high, whatever the severity says. */
  ladderUpTo: ladderLevelIndex.optional(),
});

/** Seed 000 names Priority ("Impact on Customer") but gives no scale: this one is ours. */
export const DEFAULT_PRIORITIES = {
  1: { name: 'Critical impact', description: 'The customer cannot do business: a stop for them, whatever the cause.' },
  2: { name: 'High impact', description: "Many of the customer's users or a key process are affected." },
  3: { name: 'Medium impact', description: 'Some users or one process are affected; they can work around it.' },
  4: { name: 'Low impact', description: "Little effect on the customer's work." },
} as const;

const status = z.strictObject({
  name: z.string().min(1),
  kind: z.enum(['support', 'development']),
  description: z.string().min(1),
});

const transition = z.strictObject({
  from: z.array(z.enum(STATUSES)).min(1),
  to: z.enum(STATUSES),
  roles: z.array(z.enum(ROLES)).min(1),
});

const category = z.strictObject({
  name: z.string().min(1),
  team: z.enum(TEAM_IDS),
  /** Where the seed lists it ("Level 1", "OCR", "Level 2 responsibilities", ...). */
  section: z.string().min(1),
  severity: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).default(3),
  requestType: z.enum(REQUEST_TYPES).default('troubleshooting'),
  /** What the category covers, in the seed's words: triage matches requests against it. */
  description: z.string().default(''),
  /** Requests as staff would type them: triage matches against these too. */
  examples: z.array(z.string().min(2)).default([]),
  /** Phrases typical of the category: one signal among others for triage. */
  keywords: z.array(z.string().min(2)).min(1),
  /** This category owns outages and global incidents (Severity 1 or 2 with no more specific category). */
  platformWide: z.boolean().default(false),
});

const notSupported = z.strictObject({
  name: z.string().min(1),
  /** What the item means, in words: triage matches requests against it. */
  description: z.string().default(''),
  /** Requests as staff would type them: triage matches against these too. */
  examples: z.array(z.string().min(2)).default([]),
  keywords: z.array(z.string().min(2)).min(1),
  /** quote_required: chargeable work passed to Professional Services; declined: not offered at all. */
  route: z.enum(['quote_required', 'change_request', 'declined']),
  reply: z.string().min(1),
});

const developmentRoute = z.strictObject({
  name: z.string().min(1),
  description: z.string().min(1),
});

const ladderLevel = z.strictObject({
  name: z.string().min(1),
  when: z.string().min(1),
  /** Person id of the named contact; the Customer level has none. */
  contact: z.string().optional(),
});

const channel = z.strictObject({
  name: z.string().min(1),
  platform: z.enum(PLATFORMS),
  id: platformId,
});

export const policySchema = z
  .strictObject({
    organisation: z.string().min(1).default('Helpline'),
    calendar: calendarSchema,
    /** Support's phone, email and portal, shown in help (optional; a missing one is not shown). */
    contact: contactSchema.default({}),
    sla: z.strictObject({
      /** Fraction of a clock's target at which the at-risk warning goes out. */
      warnAt: z.number().gt(0).lt(1).default(0.75),
      /** Statuses in which the SLA clocks are paused. */
      pausedIn: z.array(z.enum(SUPPORT_STATUSES)).default([]),
      /** Per clock, development statuses that pause it on a release route (waiting for the release). */
      pausedInDevelopment: pausedInDevelopmentSchema,
      /** Pending Closure for this long (calendar time) becomes Closed. */
      autoCloseAfter: duration,
      /** Remind the requester when a ticket has waited this long (business time) for them. */
      waitingReminderAfter: duration,
      /**
       * Waiting for Customer with no answer for this long (business time) is closed by the scheduler, as Pending
       * Closure is; default 2550m (five business days of 8h30).
       */
      waitingCloseAfter: duration.default(2550),
      /** The seed's SLA table: a severity or priority without targets of its own uses these. */
      targets: z
        .strictObject({ response: positiveDuration.default(30), resolution: positiveDuration.default(3000) })
        .default({ response: 30, resolution: 3000 }),
      /** Business time after a breach (and between steps) before the next ladder contact is told. */
      ladderStepAfter: duration,
      /** What holds the ladder: an agent reply, an assignment, or Waiting for Customer restarts its wait. */
      ladderPausedBy: z.array(z.enum(LADDER_PAUSES)).default([...LADDER_PAUSES]),
      /** Which of support's actions end the first-response clock (the first one does; a reopen never restarts it). */
      firstResponseEndedBy: z.array(z.enum(FIRST_RESPONSE_ACTIONS)).default([...FIRST_RESPONSE_ACTIONS]),
      /** Ask for CSAT this long (business time) after resolution when none was given. */
      csatPromptAfter: duration,
      /**
       * No longer used: a notification is never given up for a transient failure (see `delivery`). Still
       * accepted so a policy file that sets it loads.
       */
      deliveryAttempts: z.number().int().min(1).max(50).optional(),
      /** How the notifier waits out a platform that fails (5xx, 429, timeouts, a revoked token). */
      delivery: deliverySchema.default(DEFAULT_DELIVERY),
      /** On Customer Test: remind the requester after this long (business time) without an answer; default 16h. */
      customerTestReminderAfter: duration.default(960),
      /** On Customer Test with no answer for this long (calendar time) is closed, like Pending Closure; default 7d. */
      customerTestCloseAfter: duration.default(10_080),
    }),
    /** Feedback that management hears at once (seed 000: "concerns or complaints are addressed immediately"). */
    csat: z
      .strictObject({
        /** A score at or below this (1-5) goes to the Team Lead and the managers channel; 0 turns it off. */
        lowScoreAtOrBelow: z.number().int().min(0).max(5).default(2),
        /** A comment containing one of these words (case-insensitive) is a complaint, whatever the score. */
        complaintWords: z.array(z.string().min(2)).default([...COMPLAINT_WORDS]),
        /** A Closed ticket may be rated, or its rating changed, for this long (calendar time) after it closed; default 7d. */
        rateWithin: duration.default(10_080),
      })
      .default({ lowScoreAtOrBelow: 2, complaintWords: [...COMPLAINT_WORDS], rateWithin: 10_080 }),
    /** What a requester may ask of the escalation ladder on their own (seed 000 "How to escalate effectively"). */
    customerEscalation: z
      .strictObject({
        /** Business time between two steps the requester asks for (themselves, or by phone or email); default 1h. */
        cooldown: duration.default(60),
        /** The highest ladder level a requester reaches on their own (2 = Support Manager); above it only the SLA ladder or a manager. */
        requesterMaxLevel: z
          .number({ error: 'expected a ladder level number, e.g. 2 for the Support Manager' })
          .int()
          .min(1)
          .default(2),
      })
      .default({ cooldown: 60, requesterMaxLevel: 2 }),
    severities: z.strictObject({ 1: severity, 2: severity, 3: severity, 4: severity }),
    /** Named support calendars for clients with hours of their own (`clients.directory.<id>.calendar`). */
    calendars: z
      .record(z.string().regex(/^[a-z0-9-]+$/, 'calendar ids are lower-case like "acme"'), namedCalendarSchema)
      .default({}),
    /** SLA tiers a client may be on (`clients.directory.<id>.supportTier`, or HubSpot's support tier property). */
    tiers: z.record(z.string().regex(/^[a-z0-9-]+$/, 'tier ids are lower-case like "premium"'), tierSchema).default({}),
    priorities: z
      .strictObject({ 1: priority, 2: priority, 3: priority, 4: priority })
      .default(DEFAULT_PRIORITIES as never),
    statuses: z.record(z.enum(STATUSES), status),
    transitions: z.array(transition).min(1),
    requestTypes: z.record(z.enum(REQUEST_TYPES), z.string().min(1)),
    people: z.record(z.string().regex(/^[a-z0-9._-]+$/, 'person ids are lower-case like "mike.fox"'), person),
    teams: z.record(z.enum(TEAM_IDS), team),
    coverage: z.strictObject({
      categories: z.record(z.string().regex(/^[a-z0-9-]+$/), category),
      notSupported: z.record(z.string().regex(/^[a-z0-9-]+$/), notSupported),
    }),
    developmentRoutes: z.record(z.enum(DEVELOPMENT_ROUTES), developmentRoute),
    replies: repliesSchema,
    /** Sign-offs held by someone else, and route switches (src/config/development.schema.ts). */
    development: developmentSchema.default(DEFAULT_DEVELOPMENT),
    /** The release calendar and the routes that go out in a release (src/config/development.schema.ts). */
    releases: releasesSchema.default(DEFAULT_RELEASES),
    escalation: z.strictObject({ ladder: z.array(ladderLevel).min(2) }),
    channels: z.strictObject({
      triage: channel,
      teamTicketing: channel,
      managers: channel,
      developmentTriage: channel,
      /** Administrative Staff's channel: tickets routed to Admin are posted there (seed 004 §4). Optional. */
      admin: channel.optional(),
      /** Whoever quotes chargeable work (Professional Services): Quote Required tickets are posted there. Optional. */
      quotes: channel.optional(),
    }),
    /** Per-person rate limits (abuse or a runaway script), counted in the database so they hold across replicas. */
    limits: z
      .strictObject({
        /** Tickets one person may raise (as requester, or as the agent raising for someone). */
        raisesPerPerson: rateLimit.default(DEFAULT_LIMITS.raisesPerPerson),
        /** Card actions (buttons, forms) one person may make on tickets; replies in a ticket's thread are never refused. */
        actionsPerPerson: rateLimit.default(DEFAULT_LIMITS.actionsPerPerson),
        /** Messages one person may write on tickets (replies, "SR-n: ...", messages to the requester). */
        messagesPerPerson: rateLimit.default(DEFAULT_LIMITS.messagesPerPerson),
        /** Look-ups one person may make: status, history, my tickets, the queue, client records and the client search. */
        lookupsPerPerson: rateLimit.default(DEFAULT_LIMITS.lookupsPerPerson),
      })
      .default(DEFAULT_LIMITS),
    /** The client directory (YAML), who raises for which client, and the HubSpot property names. */
    clients: clientsSchema.default(EMPTY_CLIENTS),
    /** Who assigns tickets to others, and each team's rule for a ticket that reaches it. */
    assignment: assignmentSchema.default(DEFAULT_ASSIGNMENT),
    /** Articles the bot answers with before a ticket is raised, and the score that takes (knowledge.schema.ts). */
    knowledge: knowledgeSchema.default(EMPTY_KNOWLEDGE),
  })
  .superRefine((p, ctx) => {
    for (const [id, t] of Object.entries(p.teams)) {
      t?.members.forEach((m, i) => {
        if (!p.people[m])
          ctx.addIssue({ code: 'custom', path: ['teams', id, 'members', i], message: `unknown person "${m}"` });
      });
      t?.leads.forEach((m, i) => {
        if (!p.people[m])
          ctx.addIssue({ code: 'custom', path: ['teams', id, 'leads', i], message: `unknown person "${m}"` });
      });
    }
    const top = p.escalation.ladder.length - 1;
    const levels = `the ladder has levels 1 (${p.escalation.ladder[1]?.name}) to ${top} (${p.escalation.ladder[top]?.name})`;
    for (const [group, items] of [
      ['severities', p.severities],
      ['priorities', p.priorities],
    ] as const) {
      for (const [n, item] of Object.entries(items)) {
        if (item.ladderUpTo !== undefined && item.ladderUpTo > top)
          ctx.addIssue({
            code: 'custom',
            path: [group, n, 'ladderUpTo'],
            message: `${item.ladderUpTo} is too high: ${levels}`,
          });
      }
    }
    if (p.customerEscalation.requesterMaxLevel > top)
      ctx.addIssue({
        code: 'custom',
        path: ['customerEscalation', 'requesterMaxLevel'],
        message: `${p.customerEscalation.requesterMaxLevel} is too high: ${levels}`,
      });
    [...serviceNameIssues(p), ...developmentIssues(p)].forEach((issue) => {
      ctx.addIssue({ code: 'custom', ...issue });
    });
    p.escalation.ladder.forEach((l, i) => {
      if (l.contact && !p.people[l.contact])
        ctx.addIssue({
          code: 'custom',
          path: ['escalation', 'ladder', i, 'contact'],
          message: `unknown person "${l.contact}"`,
        });
    });
  });

export type Policy = z.output<typeof policySchema>;
export type CalendarSpec = Policy['calendar'];
export type SeverityPolicy = Policy['severities'][Severity];
export type PriorityPolicy = Policy['priorities'][Priority];
export type Channel = Policy['channels']['triage'];
export type ChannelName = keyof Policy['channels'];
export type Person = Policy['people'][string];
export type Category = Policy['coverage']['categories'][string];
export type NotSupportedItem = Policy['coverage']['notSupported'][string];
export type Transition = Policy['transitions'][number];

/** One line per problem: `severities.2.response: expected a duration like "30m"`. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((i) => `${i.path.length ? i.path.map(String).join('.') : '(root)'}: ${i.message}`);
}
