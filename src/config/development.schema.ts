import { z } from 'zod';
import { DEFAULT_DEVELOPMENT_TARGETS, developmentTargetsSchema } from './development-targets.schema';
import { isoDate } from './service.schema';
import {
  DEVELOPMENT_ROUTES,
  DEVELOPMENT_STATUSES,
  type DevelopmentRoute,
  ROLES,
  type Role,
  TEAM_IDS,
} from './vocabulary';

/**
 * The policy's `development` section: how Development works a ticket (seed 000 "The Development Process").
 *
 * - `signOffs`: who signs off a change. Dev Done / Waiting for Review → Waiting QA Deployment needs a Dev Lead who
 *   is not the person who moved it to Dev Done ("reviewed by a Team Lead before being passed to QA"); QA in Progress
 *   → Ready for Release needs QA ("only with QA's approval can the release be scheduled"). Each is people (person
 *   ids) or teams (team ids); for these two moves the sign-off decides who, the `transitions` table only that the
 *   move exists. A sign-off that names nobody falls back to the table's roles (the Dev Lead still someone else).
 * - `routes`: who may switch a ticket's development route (`switchers`, roles), and which switches are allowed
 *   (`switches`: from a route to the routes it may become; the seed's decision points by default).
 */
const holders = z.strictObject({
  people: z.array(z.string().min(1)).default([]),
  teams: z.array(z.enum(TEAM_IDS)).default([]),
});
export type SignOffHolders = z.output<typeof holders>;

export const SIGN_OFFS = ['devLead', 'qa'] as const;
export type SignOff = (typeof SIGN_OFFS)[number];

const NOBODY: SignOffHolders = { people: [], teams: [] };

/** Seed 000: "does it require a code change? If yes, it moves to the Requires code change route"; a code change found to be a new feature becomes a change request. */
export const DEFAULT_ROUTE_SWITCHES: Record<DevelopmentRoute, DevelopmentRoute[]> = {
  performance_infrastructure: ['code_change'],
  data_correction: ['code_change'],
  code_change: ['change_request'],
  change_request: [],
};
export const DEFAULT_ROUTE_SWITCHERS: Role[] = ['development', 'level2', 'manager'];

const routeList = z.array(z.enum(DEVELOPMENT_ROUTES));

export const DEFAULT_ROADMAP_DECIDERS: Role[] = ['development', 'manager'];

export const developmentSchema = z.strictObject({
  /** Who records Product's roadmap decision on a change request (accepted / declined). */
  roadmap: z
    .strictObject({ deciders: z.array(z.enum(ROLES)).min(1).default(DEFAULT_ROADMAP_DECIDERS) })
    .default({ deciders: DEFAULT_ROADMAP_DECIDERS }),
  signOffs: z
    .strictObject({ devLead: holders.default(NOBODY), qa: holders.default(NOBODY) })
    .default({ devLead: NOBODY, qa: NOBODY }),
  routes: z
    .strictObject({
      switchers: z.array(z.enum(ROLES)).min(1).default(DEFAULT_ROUTE_SWITCHERS),
      switches: z
        .strictObject({
          change_request: routeList.optional(),
          performance_infrastructure: routeList.optional(),
          data_correction: routeList.optional(),
          code_change: routeList.optional(),
        })
        .default(DEFAULT_ROUTE_SWITCHES)
        .transform((s) => ({ ...DEFAULT_ROUTE_SWITCHES, ...s }) as Record<DevelopmentRoute, DevelopmentRoute[]>),
    })
    .default({ switchers: DEFAULT_ROUTE_SWITCHERS, switches: DEFAULT_ROUTE_SWITCHES }),
  /** Development's own targets per route (src/config/development-targets.schema.ts). */
  targets: developmentTargetsSchema,
});
export type DevelopmentPolicy = z.output<typeof developmentSchema>;
export const DEFAULT_DEVELOPMENT: DevelopmentPolicy = {
  roadmap: { deciders: DEFAULT_ROADMAP_DECIDERS },
  signOffs: { devLead: NOBODY, qa: NOBODY },
  routes: { switchers: DEFAULT_ROUTE_SWITCHERS, switches: DEFAULT_ROUTE_SWITCHES },
  targets: DEFAULT_DEVELOPMENT_TARGETS,
};

/** Sign-offs naming people the policy does not know. */
export function developmentIssues(p: {
  people: Record<string, unknown>;
  development: DevelopmentPolicy;
}): Array<{ path: Array<string | number>; message: string }> {
  const out: Array<{ path: Array<string | number>; message: string }> = [];
  for (const s of SIGN_OFFS)
    p.development.signOffs[s].people.forEach((id, i) => {
      if (!p.people[id])
        out.push({ path: ['development', 'signOffs', s, 'people', i], message: `unknown person "${id}"` });
    });
  return out;
}

/**
 * The release calendar (seed 000: "Releases are fortnightly and subject to QA"): a release every `every` (whole days)
 * from the local date `first` (none: no dates are promised); `routes` are the development routes whose fix goes out
 * in a software release (code change / bug fix), for tickets of `severities` (3 and 4: a Severity 1 or 2 fix goes
 * out of cycle, and its clocks keep counting).
 */
export const releasesSchema = z.strictObject({
  /** "2w" (seed 000: fortnightly) or "14d": whole weeks or days, kept in minutes. */
  every: z
    .string({ error: 'expected a release interval like "2w" or "14d"' })
    .regex(/^[1-9]\d{0,2}(d|w)$/, { error: 'releases come every whole number of days or weeks, e.g. "2w" or "14d"' })
    .transform((t) => Number(t.slice(0, -1)) * (t.endsWith('w') ? 7 : 1) * 1440)
    .default(20_160),
  first: isoDate.nullable().default(null),
  routes: z.array(z.enum(DEVELOPMENT_ROUTES)).default(['code_change']),
  /** The severities whose fix waits for a scheduled release; the others are fixed out of cycle and keep their clocks. */
  severities: z.array(z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)])).default([3, 4]),
  /** Business days before a release day after which nothing more is planned into it (QA tests what is in it). */
  qaCutoff: z.number().int().min(0).max(20).default(2),
  /** Who moves a whole release (QA in progress, ready, released, slipped) with its tickets. */
  movers: z.array(z.enum(ROLES)).min(1).default(['development', 'manager']),
});
export type ReleasesPolicy = z.output<typeof releasesSchema>;
export const DEFAULT_RELEASES: ReleasesPolicy = {
  every: 20_160,
  first: null,
  routes: ['code_change'],
  severities: [3, 4],
  qaCutoff: 2,
  movers: ['development', 'manager'],
};

/**
 * `sla.pausedInDevelopment`: per clock, the development statuses that pause it while the ticket is on a release route
 * (waiting for a software release), on top of `sla.pausedIn` (support statuses, both clocks).
 */
const devStatuses = z.array(z.enum(DEVELOPMENT_STATUSES)).default([]);
export const pausedInDevelopmentSchema = z
  .strictObject({ response: devStatuses, resolution: devStatuses })
  .default({ response: [], resolution: [] });
