/**
 * Severity in words the product's own vocabulary does not use: outage symptoms on any screen, other languages, chat
 * spellings, calm words for a whole-company outage, everyday words for a malfunction, partial outages.
 */
import { loadPolicy } from '../../../../src/config/policy';
import { assertedText, clausesOf } from '../../../../src/domain/routing/clauses';
import { readImpact } from '../../../../src/domain/routing/severity-facts';
import { createTriage } from '../../../../src/domain/routing/triage';

const triage = createTriage(loadPolicy());
const severityOf = (text: string) => triage.suggest(text).severity.value;
const facts = (text: string) => {
  const clauses = clausesOf(text);
  return readImpact(assertedText(clauses), assertedText(clauses.map((c) => ({ ...c, disclaimed: false }))));
};

describe('Severity 1: an outage for everyone, however it is said', () => {
  it.each([
    'the app just shows a maintenance page for everyone here and it has been 2 hours',
    'all our users see a grey blank page after login, tried different browsers',
    'the invoice page just shows a spinning circle for me and the 3 other people in my office, we cant do anything',
    'SSO redirect loop for all our users since your maintenance window, nobody in the tenant can get in',
    'Hallo, Nimbello geht seit heute früh nicht, keiner kann sich anmelden. Bitte dringend!',
    'Hola, el portal no funciona para nadie en la oficina, pantalla en blanco',
    'Nimbello est en panne pour toute l equipe depuis ce matin',
    'evry1 here locked out of nimbello, pls hlp asap',
    "Morning all - bit of a quiet one but the system seems to be off for the entire office, we're having a coffee",
    'we r all getting kicked out every few seconds, cant stay logged in, whole ap team cant work',
    "FYI our integration can't reach your API at all (connection refused), users get a gateway timeout. Everything has stopped.",
    'hey is it just me or is nothing loading? spinning wheel on every page since 8',
    'hey so uh the site just says "we\'ll be back soon" for everyone in the office?? been like that all morning',
    'browsers say the certificate has expired, every user in our org is blocked',
    'The supplier portal login page is blank for everyone in finance',
    'Bonjour, personne ne peut se connecter à Nimbello depuis ce matin, page blanche pour tous',
    'our whole tenant returns 503 since 8:15, API and UI, nobody can work, please escalate',
    'hiya so none of us can get into the invoice thingy this morning, it just goes round and round',
    'Our middleware gets HTTP 503 from your endpoint on every call and the UI shows "Service Unavailable" for all users',
  ])('"%s" → 1', (text) => {
    expect(severityOf(text)).toBe(1);
  });

  it('a web symptom with no one said to be affected is 3, and the card asks whether it is 1', () => {
    const s = triage.suggest('the invoice screen shows a spinning wheel');
    expect(s.severity.value).toBe(3);
    expect(s.confidence).toMatchObject({ confident: false, between: [1, 3] });
  });

  it('"is it just me" asks; "it is just me" says one person', () => {
    expect(facts('is it just me or is the portal slow').scope?.value).not.toBe('one');
    expect(facts('it is just me that cannot log in').scope?.value).toBe('one');
  });
});

describe('Severity 2, not 1: part of the service works, or it comes and goes', () => {
  it.each([
    'reports and the payment file export are timing out for all of us. rest of the portal is slow but works',
    'every twenty minutes the platform freezes completely for everyone, it is intermittent',
    'whole AP team locked out of workflow after the password change, approvers still in but nobody can process anything',
  ])('"%s" → 2', (text) => {
    expect(severityOf(text)).toBe(2);
  });

  it.each([
    'none of the invoices from yesterday got exported to SAP, payments are due tomorrow',
    '~150 invoices went on hold this morning, nothing is going to approvers',
    'Interface down between Nimbello and S/4: no invoices posted for any company code, period close tomorrow',
    'Hola, no se han exportado las facturas a SAP desde ayer, unas 400, el cierre es mañana',
  ])('work in bulk held or not arriving → 2: "%s"', (text) => {
    expect(severityOf(text)).toBe(2);
  });
});

describe('Severity 3: a task impaired with a workaround, in everyday words', () => {
  it.each([
    'ocr keeps putting the vat amount in the net field on invoices from one supplier, we fix them by hand',
    'approval emails are not being sent for one of our workflows, approvers are checking the queue manually meanwhile',
    'OCR puts the freight line into tax on invoices from our biggest supplier, we correct each one',
    'NullReferenceException in the export log for invoices with more than 99 lines, we split them manually',
    'The API returns 401 for our middleware user, we are uploading the files by hand through the UI meanwhile',
    'duplicate detection flags credit notes as duplicates of the original invoice, we release them one by one',
  ])('"%s" → 3', (text) => {
    expect(severityOf(text)).toBe(3);
  });

  it('"instead of" is not a workaround, "we copy paste instead" is', () => {
    expect(facts('the batch came back with company code 100 instead of 200').workaround).toBeUndefined();
    expect(facts('the export to excel fails, we copy paste instead').workaround).toBeDefined();
  });
});

describe('not an outage', () => {
  it.each([
    'the app crashed when I clicked save on an invoice, had to redo it',
    'the site went down for about 5 minutes this morning, back now',
    'I get a blank page when I open invoice 4471, others open fine',
    'the report keeps spinning when I run it for 12 months',
    'the number of invoices on hold went down after your fix, thanks',
  ])('"%s" is not Severity 1', (text) => {
    expect(severityOf(text)).toBeGreaterThan(1);
  });
});

describe('Severity 4 stays 4', () => {
  it.each([
    'URGENT!!!! the company name on the invoice screen is spelled wrong',
    'can the ocr start reading the bank sort code into a new field we can import',
    'one invoice shows the wrong PO number, can you correct it please',
    'Could someone explain why invoices keep being sent back? We can process them manually, so it is not urgent',
  ])('"%s" → 4', (text) => {
    expect(severityOf(text)).toBe(4);
  });
});
