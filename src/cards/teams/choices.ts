import type { Policy } from '../../config/policy.schema';

/** The option lists a card offers, taken from the policy (pure: no I/O). */
export interface CardChoices {
  severities: Array<{ value: number; name: string }>;
  priorities: Array<{ value: number; name: string }>;
  teams: Array<{ id: string; name: string }>;
  categories: Array<{ id: string; name: string }>;
  routes: Array<{ id: string; name: string }>;
  /** Knowledge articles an agent may send the requester (policy `knowledge.articles`). */
  articles?: Array<{ id: string; title: string }>;
}

export function choicesFromPolicy(policy: Policy): CardChoices {
  return {
    severities: Object.entries(policy.severities).map(([k, s]) => ({ value: Number(k), name: s.name })),
    priorities: Object.entries(policy.priorities).map(([k, p]) => ({ value: Number(k), name: p.name })),
    teams: Object.entries(policy.teams).map(([id, t]) => ({ id, name: t.name })),
    categories: Object.entries(policy.coverage.categories).map(([id, c]) => ({ id, name: c.name })),
    routes: Object.entries(policy.developmentRoutes).map(([id, r]) => ({ id, name: r.name })),
    articles: Object.entries(policy.knowledge.articles).map(([id, a]) => ({ id, title: a.title })),
  };
}
