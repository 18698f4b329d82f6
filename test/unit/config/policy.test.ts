import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { DEFAULT_POLICY_FILE, loadPolicy, PolicyError, parsePolicy } from '../../../src/config/policy';
import {
  type Category,
  DEVELOPMENT_STATUSES,
  PLATFORMS,
  type Policy,
  SUPPORT_STATUSES,
  type TeamId,
} from '../../../src/config/policy.schema';
import { durationMinutes } from '../../../src/config/service.schema';

const DEFAULT_TEXT = fs.readFileSync(DEFAULT_POLICY_FILE, 'utf8');

/** A change to the default policy file: the path of a key and its new value (REMOVE deletes it). */
type Change = [Array<string | number>, unknown];
const REMOVE = Symbol('remove');

/** The default policy file as YAML text after `changes`, to break one key at a time. */
function editedPolicy(...changes: Change[]): string {
  const p = YAML.parse(DEFAULT_TEXT) as Record<string, unknown>;
  for (const [keys, value] of changes) {
    let node = p as Record<string | number, unknown>;
    for (const k of keys.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
    const last = keys[keys.length - 1] as string | number;
    if (value === REMOVE) delete node[last];
    else node[last] = value;
  }
  return YAML.stringify(p);
}

/** The PolicyError message for the default policy after `changes`. */
function errorAfter(...changes: Change[]): string {
  try {
    parsePolicy(editedPolicy(...changes), 'custom.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyError);
    return (err as Error).message;
  }
  throw new Error('the edited policy was accepted');
}

/** Lower case, one space, straight quotes, no space around "/": for comparing seed wording with policy names. */
const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/[“”]/g, '"')
    .replace(/[‘’]/g, "'")
    .replace(/\s*\/\s*/g, '/')
    .replace(/\s+/g, ' ')
    .trim();

describe('loadPolicy / parsePolicy', () => {
  let policy: Policy;
  beforeAll(() => {
    policy = loadPolicy();
  });

  it('loads the default policy shipped in policy/default.yaml', () => {
    expect(DEFAULT_POLICY_FILE.endsWith(path.join('policy', 'default.yaml'))).toBe(true);
    expect(policy.organisation).toBe('Service Geeni Support');
    expect(parsePolicy(DEFAULT_TEXT)).toEqual(policy);
  });

  it('reads a policy from another file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helpline-policy-'));
    try {
      const file = path.join(dir, 'acme.yaml');
      fs.writeFileSync(file, editedPolicy([['organisation'], 'Acme Support']));
      expect(loadPolicy(file).organisation).toBe('Acme Support');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('targets, priorities and the ladder: clear errors naming the key', () => {
    it.each<[string, Change[], string]>([
      [
        'a bad per-priority target',
        [[['severities', 1, 'byPriority', 2], { response: 'soon' }]],
        'severities.1.byPriority.2.response: expected a duration like "30m"',
      ],
      [
        'a zero target',
        [[['severities', 2, 'response'], '0m']],
        'severities.2.response: a target must be at least one minute',
      ],
      [
        'a priority outside 1-4',
        [[['severities', 3, 'byPriority'], { 5: { response: '10m' } }]],
        'severities.3.byPriority: Unrecognized key: "5"',
      ],
      [
        'an unknown calendar',
        [[['severities', 1, 'calendar'], 'always']],
        'severities.1.calendar: Invalid option: expected one of "business"|"24x7"',
      ],
      [
        'a ladder ceiling above the ladder',
        [[['severities', 4, 'ladderUpTo'], 7]],
        'severities.4.ladderUpTo: 7 is too high: the ladder has levels 1 (Team Lead / CSM) to 4 (Chief Customer Officer (CCO))',
      ],
      ['a priority ladder ceiling of 0', [[['priorities', 1, 'ladderUpTo'], 0]], 'priorities.1.ladderUpTo'],
      ['an unknown ladder pause', [[['sla', 'ladderPausedBy'], ['coffee']]], 'sla.ladderPausedBy.0: Invalid option'],
      [
        'a bad standard target',
        [[['sla', 'targets'], { response: '30 minutes' }]],
        'sla.targets.response: expected a duration like "30m"',
      ],
      ['a priority without a name', [[['priorities', 2], { description: 'x' }]], 'priorities.2.name'],
    ])('%s', (_what, changes, expected) => {
      expect(errorAfter(...changes)).toContain(expected);
    });

    it('defaults what is left out: standard targets, business calendar, the top of the ladder, the seed priorities', () => {
      const p = parsePolicy(
        editedPolicy(
          [['sla', 'targets'], REMOVE],
          [['sla', 'ladderPausedBy'], REMOVE],
          [['severities', 1, 'ladderUpTo'], REMOVE],
          [['severities', 1, 'calendar'], REMOVE],
          [['severities', 1, 'byPriority'], REMOVE],
          [['priorities'], REMOVE],
        ),
      );
      expect(p.sla.targets).toEqual({ response: 30, resolution: 3000 });
      expect(p.sla.ladderPausedBy).toEqual(['agent_reply', 'assignment', 'waiting_for_customer']);
      expect(p.severities[1]).toMatchObject({ calendar: 'business', byPriority: {} });
      expect(p.severities[1].ladderUpTo).toBeUndefined();
      expect(p.priorities[4].name).toBe('Low impact');
    });
  });

  it('names the path of a bad duration: severities.2.response "thirty"', () => {
    const message = errorAfter([['severities', 2, 'response'], 'thirty']);
    expect(message).toMatch(/^custom\.yaml is invalid: /);
    expect(message).toContain('severities.2.response: expected a duration like "30m"');
    expect(message).not.toMatch(/[\r\n]/);
  });

  it('releases come fortnightly by default ("2w"), "14d" says the same, and a release interval in hours is refused', () => {
    expect(policy.releases.every).toBe(14 * 1440);
    expect(parsePolicy(editedPolicy([['releases', 'every'], '14d'])).releases.every).toBe(14 * 1440);
    expect(parsePolicy(editedPolicy([['releases', 'every'], '1w'])).releases.every).toBe(7 * 1440);
    expect(errorAfter([['releases', 'every'], '36h'])).toContain('releases.every: releases come every whole number');
  });

  it('names calendar.hours.mon for opening hours "9-5"', () => {
    const message = errorAfter([['calendar', 'hours', 'mon'], '9-5']);
    expect(message).toContain('calendar.hours.mon: expected opening hours like "08:45-17:15"');
  });

  it('names calendar.hours.fri when it closes before it opens', () => {
    expect(errorAfter([['calendar', 'hours', 'fri'], '17:15-08:45'])).toContain(
      'calendar.hours.fri: closing time must be after opening time',
    );
  });

  it('names calendar.timeZone for "Mars/Base"', () => {
    expect(errorAfter([['calendar', 'timeZone'], 'Mars/Base'])).toContain(
      'calendar.timeZone: expected an IANA time zone like "Europe/London"',
    );
  });

  it('names calendar.holidays for a date that does not look like one', () => {
    expect(errorAfter([['calendar', 'holidays'], ['25/12/2026']])).toContain(
      'calendar.holidays.0: expected a local date like "2026-12-25"',
    );
  });

  it('names the team member that is not a person of the policy', () => {
    expect(errorAfter([['teams', 'level1', 'members', 2], 'nobody.known'])).toContain(
      'teams.level1.members.2: unknown person "nobody.known"',
    );
  });

  it('names the ladder contact that is not a person of the policy', () => {
    expect(errorAfter([['escalation', 'ladder', 2, 'contact'], 'j.goulbourne'])).toContain(
      'escalation.ladder.2.contact: unknown person "j.goulbourne"',
    );
  });

  it('names a client whose tier or calendar the policy does not define, and lists those it does', () => {
    const msg = errorAfter(
      [['clients', 'directory', 'acme', 'supportTier'], 'Platinum'],
      [['clients', 'directory', 'northwind', 'calendar'], 'london-late'],
    );
    expect(msg).toContain(
      'clients.directory.acme.supportTier: unknown tier "Platinum" (tiers: premium, gold, silver, bronze)',
    );
    expect(msg).toContain(
      'clients.directory.northwind.calendar: unknown calendar "london-late" (calendars: uk-extended, us-central)',
    );
  });

  it("names a tier's unknown calendar, and accepts tiers and calendars matched by name, case-insensitively", () => {
    expect(errorAfter([['tiers', 'gold', 'calendar'], 'mars'])).toContain(
      'tiers.gold.calendar: unknown calendar "mars" (calendars: uk-extended, us-central)',
    );
    const p = parsePolicy(
      editedPolicy(
        [['clients', 'directory', 'northwind', 'supportTier'], 'PREMIUM'],
        [['clients', 'directory', 'northwind', 'calendar'], 'US Central calendar'],
      ),
    );
    expect(p.clients.directory.northwind?.calendar).toBe('US Central calendar');
  });

  it('names a bad tier target with its path', () => {
    expect(errorAfter([['tiers', 'premium', 'severities', 1, 'response'], 'soon'])).toMatch(
      /tiers\.premium\.severities\.1\.response: expected a duration/,
    );
  });

  it('rejects an unknown top-level key, naming it', () => {
    expect(errorAfter([['colour'], 'blue'])).toContain('Unrecognized key: "colour"');
  });

  it('rejects an unknown nested key, naming where it is', () => {
    expect(errorAfter([['severities', 2, 'colour'], 'red'])).toMatch(/severities\.2: Unrecognized key: "colour"/);
  });

  it('names a channel with an unknown platform and a missing channel', () => {
    expect(errorAfter([['channels', 'triage', 'platform'], 'irc'])).toContain('channels.triage.platform');
    expect(errorAfter([['channels', 'managers'], REMOVE])).toContain('channels.managers');
  });

  it('names a transition with an unknown status or role', () => {
    expect(errorAfter([['transitions', 0, 'to'], 'done'])).toContain('transitions.0.to');
    expect(errorAfter([['transitions', 1, 'roles', 5], 'intern'])).toContain('transitions.1.roles.5');
  });

  it('reports every problem in one line', () => {
    const message = errorAfter([['severities', 1, 'resolution'], '50 hours'], [['calendar', 'timeZone'], 'Nowhere']);
    expect(message).toContain('severities.1.resolution');
    expect(message).toContain('calendar.timeZone');
    expect(message).not.toMatch(/[\r\n]/);
  });

  it('rejects invalid YAML, naming the file', () => {
    expect(() => parsePolicy('calendar: [unclosed', 'broken.yaml')).toThrow(PolicyError);
    expect(() => parsePolicy('calendar: [unclosed', 'broken.yaml')).toThrow(/^broken\.yaml is not valid YAML: /);
  });

  it('rejects duplicate keys as invalid YAML', () => {
    expect(() => parsePolicy('organisation: A\norganisation: B\n', 'dup.yaml')).toThrow(/dup\.yaml is not valid YAML/);
  });

  it('rejects an empty file', () => {
    expect(() => parsePolicy('', 'empty.yaml')).toThrow(/^empty\.yaml is invalid: /);
  });

  it('names POLICY_FILE and the path when the file cannot be read', () => {
    const missing = path.join(os.tmpdir(), 'helpline-no-such-dir', 'policy.yaml');
    expect(() => loadPolicy(missing)).toThrow(PolicyError);
    expect(() => loadPolicy(missing)).toThrow(
      `POLICY_FILE ${missing} cannot be read (ENOENT); set POLICY_FILE to a readable YAML policy`,
    );
  });

  it('converts durations to minutes', () => {
    expect(durationMinutes('30m')).toBe(30);
    expect(durationMinutes('50h')).toBe(3000);
    expect(durationMinutes('7d')).toBe(10080);
    expect(() => durationMinutes('thirty')).toThrow(RangeError);
  });
});

/**
 * The default policy covers the seeds. Every list below is typed out from the seed documents
 * (000: the support handbook; 004: the escalation guidelines), not derived from the policy.
 */
describe('the default policy covers the seeds', () => {
  const policy = loadPolicy();
  const categories = Object.entries(policy.coverage.categories);

  describe('seed 000: ticket statuses', () => {
    // "Support Ticket Statuses" table, in order: [name, explanation].
    const SUPPORT: Array<[string, string]> = [
      ['New', 'A new request and ticket number have been raised.'],
      [
        'Triage',
        'The ticket is being reviewed, categorised and severity assigned. Initial investigations were carried out and resolved, if possible.',
      ],
      [
        'Under Review',
        'Further investigation is required and will be assigned to an agent based on Severity & Priority.',
      ],
      ['Customer Responded', 'Customer update on ticket needs reviewing.'],
      [
        'Waiting for Customer',
        'Additional information or action has been requested. Waiting for the Customer to respond.',
      ],
      ['Work in Progress', 'The ticket is assigned and being worked on by an Agent.'],
      [
        'Quote Required',
        'The request relates to chargeable works and has been passed to Professional Services to quote.',
      ],
      ['Escalated to Dev', 'Further assistance is required from the Development team.'],
      ['On Customer Test', 'Agent believes ticket resolved and has requested confirmation from the Customer.'],
      ['Pending Closure', 'Ticket is resolved and will be closed in 7 days.'],
      ['Closed', 'Ticket is closed and can no longer be updated.'],
    ];
    const DEVELOPMENT: Array<[string, string | null]> = [
      ['Planned', 'Issue is ready to be worked on when a Developer has capacity.'],
      // The seed repeats Triage's explanation for Dev in Progress (a copy slip); the policy words its own.
      ['Dev in Progress', null],
      ['Dev Done / Waiting for Review', 'Code change/fix has been done and waiting for signoff by Dev Lead.'],
      [
        'Dev Done / Waiting QA Deployment',
        'Team Lead has signed off and is waiting to be deployed into next QA release.',
      ],
      ['QA in Progress', 'Currently in Test on the latest QA release.'],
      ['Ready for Release', 'Resolution has passed QA testing and will be released with next Software Release.'],
      ['Released', 'Latest release has been made “Live”.'],
    ];

    const byName = (name: string) => Object.entries(policy.statuses).find(([, s]) => s?.name === name);

    it.each(SUPPORT)('has the support status %s with the seed explanation', (name, description) => {
      const found = byName(name);
      expect(found).toBeDefined();
      const [id, status] = found!;
      expect(status?.kind).toBe('support');
      expect(SUPPORT_STATUSES).toContain(id);
      expect(norm(status!.description)).toBe(norm(description));
    });

    it.each(DEVELOPMENT)('has the development status %s', (name, description) => {
      const found = byName(name);
      expect(found).toBeDefined();
      const [id, status] = found!;
      expect(status?.kind).toBe('development');
      expect(DEVELOPMENT_STATUSES).toContain(id);
      if (description) expect(norm(status!.description)).toBe(norm(description));
      else expect(status!.description.length).toBeGreaterThan(10);
    });

    it('has no status the seed does not list', () => {
      const names = Object.values(policy.statuses).map((s) => s?.name);
      expect(names.sort()).toEqual([...SUPPORT, ...DEVELOPMENT].map(([n]) => n).sort());
    });

    it('pauses the clocks while waiting on the customer or on a quote, and closes Pending Closure after 7 days', () => {
      expect(policy.sla.pausedIn).toEqual(
        expect.arrayContaining(['waiting_for_customer', 'quote_required', 'on_customer_test', 'pending_closure']),
      );
      expect(policy.sla.pausedIn).not.toContain('new');
      expect(policy.sla.pausedIn).not.toContain('customer_responded');
      expect(policy.sla.autoCloseAfter).toBe(7 * 24 * 60);
    });
  });

  describe('seed 004: teams', () => {
    const TEAMS: Array<[TeamId, string]> = [
      ['admin', 'Administrative Staff'],
      ['level1', 'Level 1 Support'],
      ['level2', 'Level 2 Support'],
      ['development', 'Product / Development / IT'],
    ];
    it.each(TEAMS)('has the team %s named %s, with members', (id, name) => {
      expect(policy.teams[id]?.name).toBe(name);
      expect(policy.teams[id]?.role).toBe(id);
      expect(policy.teams[id]?.members.length).toBeGreaterThan(0);
    });
    it('has exactly those four teams', () => {
      expect(Object.keys(policy.teams).sort()).toEqual(TEAMS.map(([id]) => id).sort());
    });
  });

  describe('seed 004: coverage catalogue', () => {
    /**
     * The category a seed item maps to: the same name (ignoring case and spacing), or a policy name that
     * extends the seed's ("Error tickets (straightforward)") or that the seed's extends ("…Product" / "…Product Teams").
     */
    function categoryFor(item: string): [string, Category] | undefined {
      const s = norm(item);
      return categories.find(([, c]) => {
        const n = norm(c.name);
        return n === s || n.startsWith(s) || s.startsWith(n);
      });
    }

    // Seed wording that the policy files under a differently worded category: seed item → category id.
    const SAME_AS: Record<string, string> = {
      'Password Reset Requests': 'workflow-password-resets',
      'Track down who sent invoices': 'invoice-sender-inquiries',
    };

    // [seed item, team that owns it]
    const SECTIONS: Array<[string, TeamId]> = [
      // 4. Administrative Staff Responsibilities
      ['Error Tickets', 'admin'],
      ['Invoice Sender Inquiries', 'admin'],
      ['Invoice Archive Requests (Before Processing)', 'admin'],
      // 5. Level 1 Support Responsibilities (request types; items 7 and 8 are Level 1's own work, below)
      ['Password Reset Requests', 'level1'],
      ['Invoice Hold or Failed Import Inquiries', 'level1'],
      ['Report-Related Questions', 'level1'],
      ['Posted Invoices Not Appearing in Client ERP', 'level1'],
      ['Sending SOC 2 Reports to Clients', 'level1'],
      ['Relaying Information on Behalf of Level 2 or Product Teams', 'level1'],
      ['Client Setup and Data Maintenance in HubSpot', 'level1'],
      // 6. Level 2 Support Responsibilities
      ['Solution Tickets or Tasks', 'level2'],
      ['Portal Configuration Updates', 'level2'],
      ['Client Questions About Data Files', 'level2'],
      ['File Errors (Automated or Client-Reported)', 'level2'],
      ['File Upload Requests', 'level2'],
      // 7. Product / Development / IT Responsibilities
      ['Requests Requiring Development Work', 'development'],
      ['Unexplained Error Logs', 'development'],
      ['Level 2 Clarification Requests', 'development'],
      ['Non-Reproducible Bugs', 'development'],
    ];

    // "What is covered": [item, team] (the OCR column names no team).
    const COVERED: Array<[string, TeamId | null]> = [
      ['Basic product usage (How to use Nimbello software)', 'level1'],
      ['Report a Bug', 'level1'],
      ['Workflow Password resets', 'level1'],
      ['Custom reports (where data is readily available)', 'level2'],
      ['File import/Export errors', 'level2'],
      ['Add user permissions/Add new users', 'level2'],
      ['Creating custom security groups', 'level2'],
      ['OCR Password resets', 'level2'],
      ['Bug reproduction', 'level2'],
      ['Updating OCR field calculations', 'level2'],
      ['Processing errors for managed services customers', 'admin'],
      ['Research missing invoices', 'admin'],
      ['Track down who sent invoices', 'admin'],
      ['SLA performance', 'admin'],
      ['Inquiries about why invoices were sent back to the client', 'admin'],
      ['Basic product usage (How to use Nimbello OCR)', null],
      ['OCR training', null],
      ['Calculation errors', null],
      ['OCR remapping research', null],
    ];

    const check = (item: string, team: TeamId | null) => {
      const alias = SAME_AS[item];
      const found: [string, Category] | undefined = alias
        ? [alias, policy.coverage.categories[alias]!]
        : categoryFor(item);
      expect(found?.[1]).toBeDefined();
      const [, category] = found!;
      if (team) expect(category.team).toBe(team);
      expect(category.keywords.length).toBeGreaterThan(0);
    };

    it.each(SECTIONS)('sections 4-7: "%s" is a category owned by %s', check);
    it.each(COVERED)('"What is covered": "%s" is a category (team %s)', check);

    it('has no category the seed does not list', () => {
      const covered = new Set<string>();
      for (const [item] of [...SECTIONS, ...COVERED]) {
        const alias = SAME_AS[item];
        covered.add(alias ?? categoryFor(item)?.[0] ?? item);
      }
      // One more, from seed 000 rather than 004: outages and global incidents (Severity 1 "requires immediate
      // escalation to Development Triage"; the Performance & infrastructure development route).
      const extra = Object.keys(policy.coverage.categories).filter((id) => !covered.has(id));
      expect(extra).toEqual(['performance-infrastructure']);
      expect(policy.coverage.categories['performance-infrastructure']).toMatchObject({
        team: 'development',
        platformWide: true,
        section: expect.stringContaining('seed 000'),
      });
    });

    it("realises Level 1's own duties (sections 5.7 and 5.8) as the Team Ticketing channel in Microsoft Teams", () => {
      // "Information Gathering and Triage Preparation" and "Escalating Complex Tickets to the Team Ticketing
      // Channel" are what Level 1 does with a ticket, not kinds of request: the one-button escalation.
      expect(policy.channels.teamTicketing.name).toBe('Team Ticketing');
      expect(policy.channels.teamTicketing.platform).toBe('teams');
    });

    const NOT_SUPPORTED = [
      'Writing custom queries',
      'Any custom code',
      'Custom database copy exports',
      'Changing import and export schedules',
      'New site implementation (requires scoping)',
      'New ERP integration',
      'Adding importable field to OCR',
    ];
    it.each(NOT_SUPPORTED)('"Not Supported": %s is on the not-supported list with a reply', (item) => {
      const found = Object.values(policy.coverage.notSupported).find((n) => norm(n!.name) === norm(item));
      expect(found).toBeDefined();
      expect(found!.reply.length).toBeGreaterThan(10);
      expect(found!.keywords.length).toBeGreaterThan(0);
    });
    it('has nothing else on the not-supported list', () => {
      expect(
        Object.values(policy.coverage.notSupported)
          .map((n) => n!.name)
          .sort(),
      ).toEqual([...NOT_SUPPORTED].sort());
    });
    it('routes chargeable work to Quote Required (seed 000: "Chargeable work is required")', () => {
      expect(policy.coverage.notSupported['custom-queries']?.route).toBe('quote_required');
      expect(policy.coverage.notSupported['custom-code']?.route).toBe('quote_required');
    });
  });

  describe('seed 000: escalation pathway', () => {
    // "Escalation Pathway" table and "Key Escalation Contacts".
    const LADDER: Array<[string, string, string | null]> = [
      ['Customer', 'Issue unresolved, and the impact has increased.', null],
      ['Team Lead / CSM', 'Ongoing concerns or deteriorating experience.', 'Mike Fox'],
      ['Support Manager', 'Significant or persistent concerns.', 'James Goulbourne'],
      ['Head of Support & Customer Success', 'Escalating business impact.', 'Erika Goldman'],
      ['Chief Customer Officer (CCO)', 'Critical unresolved issues.', 'James Lawson'],
    ];

    it('has the five levels in order, with the named contact of each', () => {
      expect(
        policy.escalation.ladder.map((l) => [
          l.name,
          l.when,
          l.contact ? (policy.people[l.contact]?.name ?? `unknown ${l.contact}`) : null,
        ]),
      ).toEqual(LADDER);
    });

    it('gives every named contact a platform account to be notified on', () => {
      for (const level of policy.escalation.ladder.slice(1)) {
        const person = policy.people[level.contact!]!;
        expect(Object.values(person.accounts).some(Boolean)).toBe(true);
      }
    });
  });

  describe('seed 000: support hours and SLAs', () => {
    it('runs the calendar 08:45-17:15 Monday to Friday in Europe/London', () => {
      expect(policy.calendar.timeZone).toBe('Europe/London');
      expect(policy.calendar.hours).toEqual({
        mon: '08:45-17:15',
        tue: '08:45-17:15',
        wed: '08:45-17:15',
        thu: '08:45-17:15',
        fri: '08:45-17:15',
      });
      expect(policy.calendar.holidays).toContain('2026-12-25');
    });

    // "Severity Levels" table: [severity, name, description, example impact].
    const SEVERITIES: Array<[1 | 2 | 3 | 4, string, string, string]> = [
      [
        1,
        'Critical Incident',
        'No system access or the system is completely down. Requires immediate escalation to Development Triage.',
        'Users cannot log in, and core services are unavailable.',
      ],
      [
        2,
        'Major / High Impact Incident',
        'Global issue or significant business impact, e.g. inability to invoice or transact.',
        'Invoicing is blocked across the business.',
      ],
      [
        3,
        'Moderate Incident',
        'Tasks or functionality within a specific module are impaired; however, a workaround is available.',
        'One workflow is broken, but an alternative process exists.',
      ],
      [
        4,
        'Minor / Low Impact Incident',
        'Minor functionality issues or non-critical data impacted. Typically, cosmetic concerns or discrepancies.',
        'UI display issues, small data inconsistencies.',
      ],
    ];

    it.each(SEVERITIES)(
      'severity %i is "%s" with the seed description and example',
      (n, name, description, example) => {
        const sev = policy.severities[n];
        expect(sev).toMatchObject({ name, description, example });
        expect(sev.immediateEscalation).toBe(n === 1);
      },
    );

    it("keeps the seed's 30 minutes / 50 hours as the standard targets; Severity 1 and 2 are tighter", () => {
      expect(policy.sla.targets).toEqual({ response: 30, resolution: 3000 });
      expect(policy.severities[1]).toMatchObject({ response: 15, resolution: 480, calendar: 'business' });
      expect(policy.severities[1].byPriority[1]).toEqual({ resolution: 240 });
      expect(policy.severities[2]).toMatchObject({ response: 30, resolution: 960 });
      for (const n of [3, 4] as const) {
        expect(policy.severities[n].response).toBeUndefined();
        expect(policy.severities[n].resolution).toBeUndefined();
      }
    });

    it('stops the ladder lower for lower severities: Severity 4 at the Team Lead', () => {
      expect([1, 2, 3, 4].map((n) => policy.severities[n as 1].ladderUpTo)).toEqual([4, 3, 2, 1]);
      expect(policy.escalation.ladder[1]?.name).toMatch(/Team Lead/);
      expect(policy.sla.ladderPausedBy).toEqual(['agent_reply', 'assignment', 'waiting_for_customer']);
    });

    it('has four priorities (impact on the customer)', () => {
      expect(Object.keys(policy.priorities)).toEqual(['1', '2', '3', '4']);
      expect(policy.priorities[1].name).toBe('Critical impact');
    });

    it('warns at 75 % of a target', () => {
      expect(policy.sla.warnAt).toBe(0.75);
    });
  });

  describe('seed 000: development routes and request types', () => {
    // "The Development Process": the four routes.
    const ROUTES: Array<[string, string, RegExp]> = [
      ['change_request', 'Change/feature requests', /change.*feature/i],
      ['performance_infrastructure', 'Performance & infrastructure', /performance & infrastructure/i],
      ['data_correction', 'Complex data issues/corrections', /complex data/i],
      ['code_change', 'Code change/bug fix', /code change.*bug fix/i],
    ];
    it.each(ROUTES)('has the route %s ("%s")', (id, _seed, name) => {
      const route = policy.developmentRoutes[id as keyof Policy['developmentRoutes']];
      expect(route?.name).toMatch(name);
      expect(route?.description.length).toBeGreaterThan(10);
    });
    it('has exactly the four routes', () => {
      expect(Object.keys(policy.developmentRoutes).sort()).toEqual(ROUTES.map(([id]) => id).sort());
    });

    // "When Should I Contact Support?" (1-3), the portal's Feedback, and change requests.
    const REQUEST_TYPES: Array<[string, RegExp]> = [
      ['troubleshooting', /troubleshooting problems/i],
      ['resolving_issue', /resolving issues/i],
      ['guidance', /guidance & assistance/i],
      ['feedback', /feedback/i],
      ['change_request', /change request/i],
    ];
    it.each(REQUEST_TYPES)('has the request type %s', (id, text) => {
      expect(policy.requestTypes[id as keyof Policy['requestTypes']]).toMatch(text);
    });
    it('has exactly the five request types', () => {
      expect(Object.keys(policy.requestTypes).sort()).toEqual(REQUEST_TYPES.map(([id]) => id).sort());
    });
  });

  describe('channels', () => {
    const CHANNELS = ['triage', 'teamTicketing', 'managers', 'developmentTriage'] as const;
    it.each(CHANNELS)('has the %s channel with a platform and an id', (name) => {
      const channel = policy.channels[name];
      expect(PLATFORMS).toContain(channel.platform);
      expect(channel.id.length).toBeGreaterThan(0);
      expect(channel.name.length).toBeGreaterThan(0);
    });
    it('puts Team Ticketing in Microsoft Teams, as seed 004 says', () => {
      expect(policy.channels.teamTicketing.platform).toBe('teams');
    });
  });
});
