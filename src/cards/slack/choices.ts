import type { Policy } from '../../config/policy.schema';
import type { SlackChoices } from './ticket-card';

/** The option lists the Slack cards and forms offer, from the policy (pure). */
export function slackChoices(policy: Policy): SlackChoices {
  return {
    severities: Object.entries(policy.severities).map(([k, s]) => ({
      value: Number(k),
      name: s.name,
      description: s.description,
    })),
    priorities: Object.entries(policy.priorities).map(([k, p]) => ({
      value: Number(k),
      name: p.name,
      description: p.description,
    })),
    teams: Object.entries(policy.teams).map(([id, t]) => ({ id, name: t.name })),
    categories: Object.entries(policy.coverage.categories).map(([id, c]) => ({ id, name: c.name })),
    routes: Object.entries(policy.developmentRoutes).map(([id, r]) => ({ id, name: r.name })),
    articles: Object.entries(policy.knowledge.articles).map(([id, a]) => ({ id, title: a.title })),
  };
}
