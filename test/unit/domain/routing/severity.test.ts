import { loadPolicy } from '../../../../src/config/policy';
import { assertedText, clausesOf } from '../../../../src/domain/routing/clauses';
import { decideSeverity } from '../../../../src/domain/routing/severity';
import { readImpact } from '../../../../src/domain/routing/severity-facts';
import { createTriage } from '../../../../src/domain/routing/triage';

const facts = (text: string) => readImpact(assertedText(clausesOf(text)));
const label = (s: number) => `Severity ${s}`;
const triage = createTriage(loadPolicy());
const severityOf = (text: string) => triage.suggest(text).severity.value;

describe('clauses: what the requester disclaims', () => {
  it.each([
    'we do not need a new site',
    "we don't want a new ERP",
    'not asking to change the schedule',
    'no custom code needed',
    "it's not an outage",
    "the system isn't down",
    'we are not switching erp',
  ])('"%s" is disclaimed', (text) => {
    expect(clausesOf(text).every((c) => c.disclaimed)).toBe(true);
  });

  it.each([
    "we can't find the invoice",
    "the approve button doesn't work",
    'nobody can log in',
    'no one can access it',
  ])('a negated capability is the problem itself, not a disclaimer: "%s"', (text) => {
    expect(clausesOf(text).some((c) => c.disclaimed)).toBe(false);
  });

  it('only the disclaimed clause is set aside', () => {
    const clauses = clausesOf('We do not need a new site, just a new user for Leeds');
    expect(clauses.map((c) => c.disclaimed)).toEqual([true, false]);
    expect(assertedText(clauses)).toBe('just a new user for leeds');
  });
});

describe('impact facts: scope', () => {
  it.each([
    ['nobody here can log in', 'everyone'],
    ['none of our users can get in', 'everyone'],
    ['all users are locked out', 'everyone'],
    ['the whole company is affected', 'everyone'],
    ['it is just me that cannot log in', 'one'],
    ['our team cannot use the coding screen', 'group'],
  ])('"%s" → %s', (text, scope) => {
    expect(facts(text).scope?.value).toBe(scope);
  });
});

describe('impact facts: what is lost', () => {
  it.each([
    ['is the portal down?', 'access'],
    ['nobody can log in', 'access'],
    ['getting 503 service unavailable on the site', 'access'],
    ["we can't post any invoices", 'transacting'],
    ['the payment run is blocked', 'transacting'],
    ['the approve button does nothing', 'impaired'],
    ['the export failed', 'impaired'],
    ['the logo is misaligned', 'cosmetic'],
    ['spelling mistake on the settings page', 'cosmetic'],
    ['how do I approve an invoice', undefined],
  ])('"%s" → %s', (text, loss) => {
    expect(facts(text).loss?.value).toBe(loss);
  });

  it('"can log in but" is not a loss of access', () => {
    expect(facts('we can log in but every posting fails').loss?.value).toBe('transacting');
  });
});

describe('impact facts: workaround and hedging', () => {
  it.each([
    'I can approve from the list view instead',
    'we are doing it by hand for now',
    'downloading the file works',
    'other screens are fine',
  ])('"%s" has a workaround', (text) => {
    expect(facts(text).workaround).toBeDefined();
  });

  it.each(['there is no workaround', 'we have no alternative', 'without a workaround'])('"%s" has none', (text) => {
    expect(facts(text).workaround).toBeUndefined();
  });

  it('"not urgent" plays the impact down', () => {
    expect(facts('not urgent, the colour is off').hedge).toBe('not urgent');
  });
});

describe('severity decision (seed 000 guide)', () => {
  it('no access for many is Severity 1, with the reason in words', () => {
    const v = decideSeverity(facts('nobody here can log in'), {}, label);
    expect(v).toEqual({
      value: 1,
      reason: "everyone is affected ('nobody') + no access / system down ('nobody here can log in') → Severity 1",
    });
  });

  it('the same loss for one person is not an incident: Severity 4', () => {
    expect(decideSeverity(facts("I can't log in"), {}, label).value).toBe(4);
  });

  it('transacting blocked for everyone is 2, capped at 3 by a workaround', () => {
    expect(decideSeverity(facts('nobody can approve invoices'), {}, label).value).toBe(2);
    expect(decideSeverity(facts('nobody can approve invoices, we approve by email instead'), {}, label).value).toBe(3);
  });

  it('an outage stays 1 even with a workaround', () => {
    expect(decideSeverity(facts('the system is down, we use paper instead'), {}, label).value).toBe(1);
  });

  it('with nothing lost (a question or request) it is 4 whatever the category; a Not Supported request is 4', () => {
    expect(decideSeverity(facts('who sent this'), { category: { severity: 3, name: 'X' } }, label)).toEqual({
      value: 4,
      reason: 'a question or request: nothing is reported broken (X) → Severity 4',
    });
    expect(decideSeverity(facts('write us a query'), { notSupported: true }, label).value).toBe(4);
  });

  it('a disclaimed outage is not an outage', () => {
    expect(severityOf("the system isn't down, it's just me that can't log in")).toBe(4);
    expect(severityOf("it's not an outage, the pdf button errors for me")).toBe(3);
  });

  it.each([
    ['nobody can log in', 1],
    ['nobody here can log in', 1],
    ['is the portal down?', 1],
    ['the portal is down', 1],
    ['invoicing is blocked across the business', 2],
    ['one workflow is broken but an alternative process exists', 3],
    ['small data inconsistency on the dashboard, cosmetic', 4],
    ['nobody in the london office can sign on', 1],
    ["we're getting 'Access denied' for everyone at Brightwell", 1],
    ['performance is terrible across the whole platform', 2],
    ['the system is slow today', 3],
    ['the export to netsuite errored with "invalid date format"', 3],
    ['is it just me or is nothing loading for anyone?', 1],
    ['none of us can get in', 1],
    ['site down??', 1],
    ["Nimbello's down. Everyone.", 1],
    ['anyone else down?', 1],
    ['nobody in the organisation can log in, our side is fine', 1],
    ['the whole portal throws an exception on every page, nobody can do anything', 1],
    ['the app will not load for me or my 3 colleagues', 1],
    ['every invoice since this morning failed import, about 300 stuck', 2],
    ['ocr reads the total wrong on every invoice from one supplier, we fix them by hand', 3],
    ['can you change the approval threshold to 7500', 4],
    ['why is invoice 4471 on hold?', 4],
  ])('the issue\'s own examples: "%s" → %d', (text, level) => {
    expect(severityOf(text)).toBe(level);
  });
});
