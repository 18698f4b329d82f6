import fs from 'node:fs';
import path from 'node:path';
import { ACTION_ACCESS } from '../../../src/cards/actions';
import { loadPolicy } from '../../../src/config/policy';
import { ForbiddenError, NotFoundError } from '../../../src/domain/errors';
import {
  ACCESS,
  accessTableMarkdown,
  authorize,
  clampCardKind,
  RELATIONS,
  relationsTo,
  TICKET_ACTIONS,
  type TicketAction,
} from '../../../src/domain/ticket/access';
import { createDirectory } from '../../../src/domain/ticket/roles';

const policy = loadPolicy();
const directory = createDirectory(policy);
const who = (userId: string) => ({
  platform: 'slack' as const,
  userId,
  roles: directory.rolesOf({ platform: 'slack', userId }),
});
const ticket = {
  number: 'SR-7',
  requester: { platform: 'slack' as const, userId: 'U0RITA', name: 'Rita' },
  team: 'level2' as const,
};

describe('the one authorisation point', () => {
  it("README.md's role table is the code's (npm run docs:access writes it)", () => {
    const readme = fs.readFileSync(path.join(__dirname, '../../../README.md'), 'utf8');
    const start = readme.indexOf('<!-- access-table:start');
    const end = readme.indexOf('<!-- access-table:end -->');
    expect(start).toBeGreaterThan(0);
    const table = readme.slice(readme.indexOf('\n', start) + 1, end).trim();
    expect(table).toBe(accessTableMarkdown());
  });

  it('relations come from the policy and the ticket, never from a payload', () => {
    expect(relationsTo(policy, ticket, who('U0RITA'))).toEqual(['requester']);
    expect(relationsTo(policy, ticket, who('U0LEVEL2'))).toEqual(['owningAgent']);
    expect(relationsTo(policy, ticket, who('U0LEVEL1'))).toEqual(['otherAgent']);
    expect(relationsTo(policy, ticket, who('U0TEAMLEAD'))).toEqual(['manager']);
    expect(relationsTo(policy, ticket, who('U0SOMEONE'))).toEqual(['other']);
    // Claiming a role the policy does not give changes nothing: roles are looked up, not sent.
    expect(directory.rolesOf({ platform: 'slack', userId: 'U0SOMEONE' })).toEqual(['requester']);
  });

  it.each(Object.keys(TICKET_ACTIONS) as TicketAction[])('%s: refused to anyone else as "does not exist"', (action) => {
    expect(() => authorize(policy, ticket, who('U0SOMEONE'), action)).toThrow(NotFoundError);
    expect(() => authorize(policy, ticket, who('U0SOMEONE'), action)).toThrow('SR-7 does not exist');
  });

  it.each(Object.keys(TICKET_ACTIONS) as TicketAction[])(
    '%s: the table decides for the requester and agents',
    (action) => {
      const requester = () => authorize(policy, ticket, who('U0RITA'), action);
      if (ACCESS[action].includes('requester')) expect(requester()).toBe('requester');
      else expect(requester).toThrow(ForbiddenError);
      const agent = () => authorize(policy, ticket, who('U0LEVEL2'), action);
      if (ACCESS[action].includes('owningAgent')) expect(agent()).toBe('agent');
      else expect(agent).toThrow(ForbiddenError);
    },
  );

  it('every relation is in the table, and every card action maps to a ticket action', () => {
    for (const rels of Object.values(ACCESS)) for (const r of rels) expect(RELATIONS).toContain(r);
    for (const a of Object.values(ACTION_ACCESS)) expect(Object.keys(TICKET_ACTIONS)).toContain(a);
  });

  it('a requested card kind is a hint clamped to the viewer', () => {
    expect(clampCardKind('teamTicketing', 'requester')).toBe('requester');
    expect(clampCardKind('triage', 'none')).toBe('requester');
    expect(clampCardKind('view', 'requester')).toBe('view');
    expect(clampCardKind('teamTicketing', 'agent')).toBe('teamTicketing');
  });
});
