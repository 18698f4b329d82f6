import { loadPolicy } from '../../../../src/config/policy';
import type { Policy } from '../../../../src/config/policy.schema';
import { foldSynonyms } from '../../../../src/domain/routing/lexicon';
import {
  createTriage,
  EMPTY_SUMMARY,
  normaliseForMatching,
  SUMMARY_MAX,
  type TriageSuggestion,
} from '../../../../src/domain/routing/triage';

const policy = loadPolicy();
const triage = createTriage(policy);
const suggest = (text: string): TriageSuggestion => triage.suggest(text);

/** The words quoted in a reason: "matches X: 'posted', 'erp' → Level 1" → ["posted", "erp"] (keywords as written). */
function quotedWords(reason: string): string[] {
  const words = [...reason.matchAll(/'(.+?)'(?=, | →|$)/g)].map((m) => normaliseForMatching(m[1]!));
  if (!words.length) throw new Error(`reason quotes no words: ${reason}`);
  return words;
}

/** The sentence as the engine reads it (normal form, and with synonyms folded): every quoted word comes from it. */
function foldedSentence(sentence: string): string {
  return `${normaliseForMatching(sentence)} | ${foldSynonyms(normaliseForMatching(sentence))}`;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Realistic requests for every coverage category: [sentence, expected category id]. */
const CATEGORY_CASES: Array<[string, string]> = [
  // Administrative Staff
  [
    'We got an error notification email overnight about invoice 4411, can someone confirm what it means?',
    'admin-error-tickets',
  ],
  ['Hi, I received an error this morning on a supplier invoice, could you check it for me?', 'admin-error-tickets'],
  [
    "Can you tell me who sent invoice INV-2231 to our AP inbox? We don't recognise the address.",
    'invoice-sender-inquiries',
  ],
  ['Please archive the duplicate Acme invoice before it gets processed.', 'invoice-archive-requests'],
  [
    "We're a managed services customer and three invoices in last night's batch show processing errors.",
    'managed-services-processing-errors',
  ],
  [
    "The supplier swears they emailed invoice 8812 last week but we can't find the invoice anywhere.",
    'missing-invoices',
  ],
  [
    'Could you send our SLA figures for last quarter? Our finance director wants to see response times.',
    'sla-performance',
  ],
  ['Why was invoice 5521 sent back to us? The supplier says nobody told them.', 'invoices-sent-back'],
  // Level 1
  ["How do I approve an invoice on my phone? I'm new to Nimbello.", 'basic-product-usage'],
  ["I think there's a bug: the Approve button does nothing when I click it.", 'report-a-bug'],
  ['The approve button stopped working after yesterday’s release.', 'report-a-bug'],
  ["Hi, I've forgotten my password for the workflow app and I'm locked out, can you help?", 'workflow-password-resets'],
  ['My password has expired and the reset link in the email does nothing.', 'workflow-password-resets'],
  ['Three invoices have been sitting on hold in the client portal since Monday, why?', 'invoice-hold-failed-import'],
  ["Last night's supplier invoices failed to import, what happened?", 'invoice-hold-failed-import'],
  ["What does the 'Days Outstanding' column in the aged creditors report mean?", 'report-questions'],
  ["We posted invoices yesterday but they're not showing up in Sage, can you check?", 'posted-invoices-not-in-erp'],
  ['Could you send over your latest SOC 2 report for our auditors?', 'soc2-reports'],
  ['Any update on my ticket? Level 2 said they would get back to us yesterday.', 'relay-information'],
  ['Please update our admin contact in HubSpot: Jane has left and Tom is now our AP lead.', 'hubspot-client-setup'],
  // Level 2
  ['Can you tweak the approval rule so invoices over £10k go to the finance director?', 'solution-tasks'],
  ["Please change the client portal settings so suppliers can't see paid invoices.", 'portal-configuration'],
  ['The data file you sent yesterday has the wrong supplier codes on half the rows, why?', 'data-file-questions'],
  [
    'The automated check flagged a file error on the vendor master file overnight, can you find the root cause?',
    'file-errors',
  ],
  ["Please upload the attached supplier list for us, we can't get into the import screen.", 'file-upload-requests'],
  ['Could you build us a custom report showing invoices approved per user per month?', 'custom-reports'],
  ['We need a one-off report of every invoice over £5k for the auditors.', 'custom-reports'],
  [
    "Our AP export to the ERP errored last night with 'Export failed: invalid date format'.",
    'file-import-export-errors',
  ],
  ["We're getting an import error when loading the supplier CSV.", 'file-import-export-errors'],
  [
    'We have a new starter, Tom, who needs access to approve invoices. Can you set him up?',
    'user-permissions-new-users',
  ],
  [
    'Can we create a custom security group so only the finance team can see supplier bank details?',
    'custom-security-groups',
  ],
  ['I can’t log in to the OCR portal, it says my password is wrong. Can you reset it?', 'ocr-password-resets'],
  ['Can you try to reproduce this? When I split an invoice into three lines the VAT disappears.', 'bug-reproduction'],
  [
    'Please update the OCR field calculation for net amount so it excludes the delivery charge.',
    'ocr-field-calculations',
  ],
  ['How do I use the OCR to scan a batch of paper invoices?', 'ocr-basic-usage'],
  ['The OCR keeps missing the PO number on Acme invoices, can someone train it on their template?', 'ocr-training'],
  ['The OCR miscalculated the VAT on invoice 7731, the total is £20 out.', 'ocr-calculation-errors'],
  ['The OCR puts the invoice date into the wrong field; can you look at remapping it?', 'ocr-remapping-research'],
  // Product / Development / IT
  ['It would be great if the approval screen showed the PO total. Could this be a new feature?', 'development-work'],
  ["Our error log is full of 'NullReferenceException in PostingService' since the release.", 'unexplained-error-logs'],
  [
    'Level 2 here: can Product clarify how the backend matching works so we can explain it to the client?',
    'level2-clarification',
  ],
  ["We can't reproduce the duplicate-posting bug in test or demo, it only happens in live.", 'non-reproducible-bugs'],
  // Harder phrasings
  ["I can't log in", 'workflow-password-resets'],
  ['Please reset the OCR password for jane@acme.com', 'ocr-password-resets'],
  ["We can't see the invoices we posted yesterday in Dynamics", 'posted-invoices-not-in-erp'],
  ['Could you give our new AP clerk access to approve invoices?', 'user-permissions-new-users'],
  ['Can you add a new user called Tom Smith with approver rights?', 'user-permissions-new-users'],
  ['The OCR didn’t pick up the invoice number on Acme invoices', 'ocr-remapping-research'],
  ['What’s the status of ticket 4567?', 'relay-information'],
  ['I want a report of all invoices by approver', 'custom-reports'],
  ['Invoice 1234 shows the wrong VAT amount', 'ocr-calculation-errors'],
  ['Why did the system reject this invoice?', 'invoices-sent-back'],
];

/** Realistic requests for every "Not Supported" item: [sentence, expected not-supported id]. */
const NOT_SUPPORTED_CASES: Array<[string, string]> = [
  ['Could you write a SQL query for us that pulls every invoice Tom approved last year?', 'custom-queries'],
  ['Can you write us a script that renames the PDF files before they are imported?', 'custom-code'],
  ['We need a full copy of our database for our data warehouse, can you send it?', 'custom-database-exports'],
  ['Can you change our nightly import to run at 6am instead of 2am?', 'import-export-schedules'],
  ["We've acquired a company in Leeds and want to roll Nimbello out to the new site.", 'new-site-implementation'],
  ["We're moving from Sage to NetSuite as our new ERP next year, can you set that up?", 'new-erp-integration'],
  ['Can you integrate Nimbello with our Dynamics 365 instance?', 'new-erp-integration'],
  ["We'd like the OCR to capture the delivery note number as a new importable field.", 'ocr-importable-field'],
  ['Can you export the whole database for our auditors?', 'custom-database-exports'],
  ['We need to change when the nightly export runs', 'import-export-schedules'],
  ['Can you run a SQL update to fix the supplier names?', 'custom-queries'],
  ['We need an integration with Xero for our new subsidiary', 'new-erp-integration'],
];

describe('triage: coverage catalogue', () => {
  it('has a realistic sentence for every category and every not-supported item in the policy', () => {
    const categoryIds = [...new Set(CATEGORY_CASES.map(([, id]) => id))].sort();
    const notSupportedIds = [...new Set(NOT_SUPPORTED_CASES.map(([, id]) => id))].sort();
    expect([...categoryIds, 'performance-infrastructure'].sort()).toEqual(
      Object.keys(policy.coverage.categories).sort(),
    );
    expect(policy.coverage.categories['performance-infrastructure']?.platformWide).toBe(true);
    expect(notSupportedIds).toEqual(Object.keys(policy.coverage.notSupported).sort());
  });

  it.each(CATEGORY_CASES)('%s → %s', (sentence, id) => {
    const expected = policy.coverage.categories[id]!;
    const s = suggest(sentence);
    expect(s.notSupported).toBeUndefined();
    expect(s.category).toMatchObject({
      id,
      name: expected.name,
      team: expected.team,
      teamName: policy.teams[expected.team].name,
    });
    const reason = s.category!.reason;
    expect(reason.startsWith(`matches ${expected.name}: '`)).toBe(true);
    expect(reason.endsWith(` → ${policy.teams[expected.team].name}`)).toBe(true);
    for (const word of quotedWords(reason)) expect(` ${foldedSentence(sentence)} `).toContain(` ${word}`);
    expect(s.requestType).toBe(expected.requestType);
  });

  it.each(NOT_SUPPORTED_CASES)('%s → not supported: %s', (sentence, id) => {
    const expected = policy.coverage.notSupported[id]!;
    const s = suggest(sentence);
    expect(s.notSupported).toEqual({
      id,
      name: expected.name,
      route: expected.route,
      reply: expected.reply,
      reason: expect.stringMatching(new RegExp(`^matches Not Supported: ${escapeRe(expected.name)}: '`)),
    });
    for (const word of quotedWords(s.notSupported!.reason))
      expect(` ${foldedSentence(sentence)} `).toContain(` ${word}`);
  });

  it('routes chargeable not-supported work to Quote Required and the rest as the policy says', () => {
    const routes = Object.fromEntries(
      NOT_SUPPORTED_CASES.map(([sentence, id]) => [id, suggest(sentence).notSupported?.route]),
    );
    expect(routes).toEqual({
      'custom-queries': 'quote_required',
      'custom-code': 'quote_required',
      'custom-database-exports': 'quote_required',
      'import-export-schedules': 'declined',
      'new-site-implementation': 'quote_required',
      'new-erp-integration': 'quote_required',
      'ocr-importable-field': 'change_request',
    });
    for (const [sentence, id] of NOT_SUPPORTED_CASES) {
      if (policy.coverage.notSupported[id]!.route === 'quote_required')
        expect(suggest(sentence).notSupported!.reply).toContain('Quote Required');
    }
    expect(
      suggest("We'd like the OCR to capture the delivery note number as a new importable field.").requestType,
    ).toBe('change_request');
  });

  it('a specific phrase outweighs a generic word ("custom report" over "report")', () => {
    expect(suggest('Question about the supplier report, what does the total include?').category?.id).toBe(
      'report-questions',
    );
    expect(suggest('Could we get a custom report of approvals?').category?.id).toBe('custom-reports');
    expect(suggest('Could we get a custom report of approvals?').category?.reason).toContain("'custom report'");
    expect(suggest('Please send the SOC 2 report').category?.id).toBe('soc2-reports');
  });

  it('matches words, not parts of words, and reads inflections and typos', () => {
    expect(suggest('The debug panel shows nothing').category?.reason).not.toContain("'bug'");
    expect(suggest('Several missing invoices from Acme this week').category?.id).toBe('missing-invoices');
    expect(suggest('The VAT was miscalculated on two invoices').category?.id).toBe('ocr-calculation-errors');
    expect(suggest('We keep seeing miscalculations in totals').category?.id).toBe('ocr-calculation-errors');
    expect(suggest('can u reset my pasword, forgot it').category?.id).toBe('workflow-password-resets');
  });

  it('normalises curly quotes, case, punctuation and contractions', () => {
    expect(normaliseForMatching('  I CAN’T   log-in!!  ')).toBe('i can not log in');
    expect(normaliseForMatching("The 'report' isn't working")).toBe('the report is not working');
    expect(suggest('The Approve button ISN’T WORKING.').category?.id).toBe('report-a-bug');
  });

  it('quotes the keyword as written in the policy whatever the spelling in the text', () => {
    expect(suggest('I CANNOT LOGIN!').category?.reason).toContain("'can't log in'");
  });

  it('is deterministic across calls (no regex state leaks between messages)', () => {
    const text = 'The export failed and the custom report is wrong';
    const first = suggest(text);
    suggest('the system is down, there is a workaround');
    expect(suggest(text)).toEqual(first);
  });
});

describe('triage: severity guide (seed 000)', () => {
  const sev = (n: 1 | 2 | 3 | 4) => `Severity ${n} (${policy.severities[n].name})`;

  it('Severity 1: users cannot log in and core services are unavailable', () => {
    const s = suggest("users can't log in since 9am, core services are unavailable");
    expect(s.severity.value).toBe(1);
    expect(s.severity.reason).toContain('no access / system down');
    expect(s.severity.reason.endsWith(sev(1))).toBe(true);
  });

  it('Severity 2: invoicing blocked across the business', () => {
    const s = suggest('invoicing is blocked across the business');
    expect(s.severity).toEqual({
      value: 2,
      reason: `everyone is affected ('across the business') + invoicing or transacting blocked ('invoicing is blocked') → ${sev(2)}`,
    });
  });

  it('Severity 3: one workflow broken with a workaround', () => {
    const s = suggest('the approval workflow is broken but we can use the manual process as a workaround');
    expect(s.severity.value).toBe(3);
    expect(s.severity.reason).toContain('a workaround exists');
  });

  it('Severity 4: cosmetic issue', () => {
    const s = suggest('the logo is misaligned on the invoice screen');
    expect(s.severity).toEqual({ value: 4, reason: `cosmetic or minor ('misaligned') → ${sev(4)}` });
  });

  it('the most severe finding wins', () => {
    const s = suggest('The font looks odd and also the system is down');
    expect(s.severity.value).toBe(1);
    expect(s.severity.reason).toContain("'system is down'");
  });

  it('a workaround caps a global incident at Severity 3, not an outage', () => {
    const capped = suggest('Invoicing is blocked across the business, but we have a workaround for now');
    expect(capped.severity.value).toBe(3);
    expect(capped.severity.reason).toBe(
      `everyone is affected ('across the business') + invoicing or transacting blocked ('invoicing is blocked'), but a workaround exists ('workaround') → ${sev(3)}`,
    );
    expect(suggest('The system is down; our workaround is paper invoices').severity.value).toBe(1);
    expect(suggest('Invoicing is blocked across the business and there is no workaround').severity.value).toBe(2);
  });

  it('ignores what the requester disclaims', () => {
    expect(suggest("It's not an outage, but the report font is wrong").severity.value).toBe(4);
  });

  it('a question with nothing lost is Severity 4', () => {
    const s = suggest('Who sent this invoice?');
    expect(s.category?.id).toBe('invoice-sender-inquiries');
    expect(s.severity).toEqual({
      value: 4,
      reason: `a question or request: nothing is reported broken (Invoice sender inquiries) → ${sev(4)}`,
    });
  });

  it('a single user locked out is not an incident (Severity 4)', () => {
    const s = suggest("Hi, I've forgotten my password for the workflow app and I'm locked out, can you help?");
    expect(s.severity.value).toBe(4);
    expect(suggest("Tom can't log in, says his account is locked").severity.value).toBe(4);
  });
});

describe('triage: ambiguity and robustness', () => {
  it('a not-supported item wins over a category, and the category is still reported', () => {
    const s = suggest('About the supplier report: could you write a SQL query for us to get the same figures?');
    expect(s.notSupported?.id).toBe('custom-queries');
    expect(s.notSupported?.reply).toBe(policy.coverage.notSupported['custom-queries']!.reply);
    expect(s.category).toBeDefined();
  });

  it('a new ERP is an integration request, not a missing posted invoice', () => {
    expect(suggest("We're switching to a new ERP, Dynamics").notSupported?.id).toBe('new-erp-integration');
  });

  it.each([
    ['The import time is really slow today'],
    ['The integration with Sage stopped working last night'],
    ['All users are reporting the site is slow'],
    ['The new report is broken'],
    ['The debug log is empty'],
    ['we do not need a new site, just a new user'],
    ['not asking to change the export schedule, it simply failed'],
  ])('a fault or a disclaimer is not a Not Supported request: %s', (sentence) => {
    expect(suggest(sentence).notSupported).toBeUndefined();
  });

  it('an outage goes to the platform-wide category, whatever words it uses', () => {
    for (const text of ['Nobody here can log in, the page just spins', 'is the portal down?', 'total outage!!']) {
      const s = suggest(text);
      expect(s.severity.value).toBe(1);
      expect(s.category?.id).toBe('performance-infrastructure');
      expect(s.category?.reason).toBe(
        'an outage → Outages and platform-wide performance (Performance & infrastructure) → Product / Development / IT',
      );
    }
  });

  it('everyone slow is a global incident for the platform-wide category', () => {
    const s = suggest('All users are reporting the site is slow');
    expect(s.severity.value).toBe(2);
    expect(s.category?.id).toBe('performance-infrastructure');
  });

  it('no match: no category, Severity 3 with the default reason, troubleshooting', () => {
    const s = suggest('Hello, quick question about something.');
    expect(s.category).toBeUndefined();
    expect(s.notSupported).toBeUndefined();
    expect(s.severity).toEqual({
      value: 3,
      reason: 'nothing says what is lost or who is affected: default → Severity 3 (Moderate Incident)',
    });
    expect(s.requestType).toBe('troubleshooting');
  });

  it.each(['', '   ', '\n\t \n', '!!! ???', '—'])('empty text %j does not crash', (text) => {
    const s = suggest(text);
    expect(s.summary).toBe(EMPTY_SUMMARY);
    expect(s.category).toBeUndefined();
    expect(s.severity.value).toBe(3);
    expect(s.missing).toEqual(['businessImpact', 'client', 'evidence', 'steps']);
  });

  it('handles 100k characters quickly', () => {
    const tail = 'and now the whole system is down';
    const words = 'the custom report for Acme shows wrong totals and the export failed again when I ran it '.repeat(
      1200,
    );
    const text = `${words.slice(0, 100_000 - tail.length)}${tail}`;
    expect(text).toHaveLength(100_000);
    const start = performance.now();
    const s = suggest(text);
    const elapsed = performance.now() - start;
    expect(s.severity.value).toBe(1);
    expect(s.summary.length).toBeLessThanOrEqual(SUMMARY_MAX);
    expect(elapsed).toBeLessThan(1000);
    const noPunctuation = 'a'.repeat(100_000);
    expect(suggest(noPunctuation).summary.length).toBeLessThanOrEqual(SUMMARY_MAX);
  });
});

describe('triage: summary', () => {
  it('is the first sentence, greeting dropped', () => {
    expect(suggest("Hi team,\nI've forgotten my password. I'm locked out of the workflow app.").summary).toBe(
      "I've forgotten my password",
    );
    expect(suggest('hello, my invoices are on hold! Please help').summary).toBe('My invoices are on hold!');
    expect(suggest('Can you help?   Thanks').summary).toBe('Can you help?');
    expect(suggest('... the export broke. Again').summary).toBe('... the export broke');
  });

  it('is cut to 80 characters with an ellipsis', () => {
    const s = suggest(
      'The supplier invoice approval screen takes more than a minute to load every single time anyone in finance opens it',
    ).summary;
    expect(s.length).toBeLessThanOrEqual(SUMMARY_MAX);
    expect(s.endsWith('…')).toBe(true);
    expect(s.startsWith('The supplier invoice approval screen')).toBe(true);
  });
});

describe('triage: missing information', () => {
  it('a terse request asks for everything', () => {
    expect(suggest('password reset pls').missing).toEqual(['businessImpact', 'client', 'evidence', 'steps']);
  });

  it('a complete request asks for nothing', () => {
    const text = [
      'Hi, this is Jane from Acme Ltd.',
      'Since 9am all our AP users get an import error, and our month-end deadline is today.',
      'Steps:',
      '1. Open Imports',
      '2. Upload the attached invoices.csv',
      '3. It shows "Error 500: import failed" (screenshot: https://example.com/shot.png)',
    ].join('\n');
    expect(suggest(text).missing).toEqual([]);
  });

  it('each heuristic on its own', () => {
    expect(suggest('Urgent: everyone is blocked').missing).not.toContain('businessImpact');
    expect(suggest('Our client Acme has a question').missing).not.toContain('client');
    expect(suggest("I'm Jane at Contoso").missing).not.toContain('client');
    expect(suggest('See https://example.com/ticket').missing).not.toContain('evidence');
    expect(suggest('The error says "Invalid supplier code"').missing).not.toContain('evidence');
    expect(suggest('When I click Approve nothing happens').missing).not.toContain('steps');
  });
});

describe('createTriage', () => {
  it('works with a minimal policy and an empty catalogue', () => {
    const minimal: Pick<Policy, 'severities' | 'coverage' | 'teams'> = {
      severities: policy.severities,
      teams: policy.teams,
      coverage: { categories: {}, notSupported: {} },
    };
    const s = createTriage(minimal).suggest('password reset');
    expect(s.category).toBeUndefined();
    expect(s.severity.value).toBe(3);
  });
});

describe('triage: honest when unsure', () => {
  const triage = createTriage(loadPolicy());
  it('lost access with nobody said to be affected: unsure between 1 and 3', () => {
    const s = triage.suggest('cannot log in since this morning');
    expect(s.confidence).toMatchObject({ confident: false, between: [1, 3] });
    expect(s.confidence.unsure).toMatch(/Severity 1 or 3/);
  });
  it('"we can\'t log in": a group without the system named is Severity 1, unsure between 1 and 3 (the card asks)', () => {
    for (const text of ["we can't log in since this morning", 'our team is locked out, it says invalid session']) {
      const s = triage.suggest(text);
      expect(s.severity.value).toBe(1);
      expect(s.confidence).toMatchObject({ confident: false, between: [1, 3] });
    }
    for (const text of [
      "we have a new starter who can't log in yet",
      'my colleague Sam is locked out, can you unlock him',
    ])
      expect(triage.suggest(text).severity.value).toBe(4);
  });
  it('the whole site or system down says who is affected (everyone): Severity 1, not "unsure between 1 and 3"', () => {
    for (const text of ['site down??', 'The system is down, users cannot log in at all']) {
      const s = triage.suggest(text);
      expect(s.severity.value).toBe(1);
      expect(s.confidence.between).toBeUndefined();
    }
  });
  it('a clear outage for everyone is confident about its severity', () => {
    const s = triage.suggest('nobody in the company can log in to the portal, it says 503');
    expect(s.severity.value).toBe(1);
    expect(s.confidence.between).toBeUndefined();
  });
});
