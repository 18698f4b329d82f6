import { z } from 'zod';
import { duration } from './service.schema';
import { DEVELOPMENT_ROUTES, type DevelopmentRoute } from './vocabulary';

/**
 * `development.targets`: Development's own targets per route, in business hours of the policy's calendar. `accept`:
 * from reaching Development to Development taking it up (a move out of Planned, a route switch, a plan into a release
 * or a roadmap decision). `allocate`: for a route whose fix goes out in a release (`releases.routes`, of a severity
 * that waits for one), from reaching that route to being planned into a release. null: no target. A missed target
 * alerts the Dev Lead (`development.signOffs.devLead`, else the development team's leads), never the support ladder.
 */
const target = z.strictObject({
  accept: duration.nullable().default(null),
  allocate: duration.nullable().default(null),
});
export type DevelopmentTarget = z.output<typeof target>;

const NONE: DevelopmentTarget = { accept: null, allocate: null };
export const DEFAULT_DEVELOPMENT_TARGETS: Record<DevelopmentRoute, DevelopmentTarget> = Object.fromEntries(
  DEVELOPMENT_ROUTES.map((r) => [r, NONE]),
) as Record<DevelopmentRoute, DevelopmentTarget>;

export const developmentTargetsSchema = z
  .strictObject(
    Object.fromEntries(DEVELOPMENT_ROUTES.map((r) => [r, target.optional()])) as Record<
      DevelopmentRoute,
      z.ZodOptional<typeof target>
    >,
  )
  .default({})
  .transform((t) => ({ ...DEFAULT_DEVELOPMENT_TARGETS, ...t }) as Record<DevelopmentRoute, DevelopmentTarget>);
export type DevelopmentTargets = z.output<typeof developmentTargetsSchema>;
