import { loadPolicy } from '../../../../src/config/policy';
import { assertedText, clausesOf } from '../../../../src/domain/routing/clauses';
import { notSupportedConcept } from '../../../../src/domain/routing/not-supported-concepts';
import { createTriage } from '../../../../src/domain/routing/triage';

const triage = createTriage(loadPolicy());
const concept = (text: string) => notSupportedConcept(assertedText(clausesOf(text)));

describe('Not Supported items asked for in other words', () => {
  it.each([
    ['could your devs knock up a little tool that emails us when an invoice goes over budget?', 'custom-code'],
    ['can u move the nightly sync to 5am pls', 'import-export-schedules'],
    ['we need the AP export to go every hour rather than once a day', 'import-export-schedules'],
    ['we go live on Business Central in March, can approved invoices post there from day one?', 'new-erp-integration'],
    [
      'We acquired a competitor last month; can we get their warehouse up and running on Nimbello?',
      'new-site-implementation',
    ],
    ['could the scanning also capture the delivery note number as its own field?', 'ocr-importable-field'],
    ['our analysts want a nightly copy of the invoice tables dropped into our S3 bucket', 'custom-database-exports'],
    ['can you give me the SQL to list every supplier with no bank details', 'custom-queries'],
  ])('"%s" → %s', (text, id) => {
    expect(concept(text)).toBe(id);
    expect(triage.suggest(text).notSupported?.id).toBe(id);
  });

  it.each([
    'the nightly export did not run at 2am, nothing reached the ledger',
    'can you add jane@acme.com as an approver',
    'the OCR keeps reading the delivery date as the invoice date, can you look',
    'we opened a new office in Leeds last year, one of the users there cannot see the Leeds entity',
  ])('a fault or an ordinary request is not turned away: "%s"', (text) => {
    expect(triage.suggest(text).notSupported).toBeUndefined();
  });
});
