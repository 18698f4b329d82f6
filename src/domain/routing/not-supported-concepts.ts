/**
 * The seed's Not Supported items as ideas, not keywords: a request that asks for one of them in its own words ("could
 * your devs knock up a little tool that…", "we are going live on Fusion next month, can invoices post there?", "can
 * the scanning also pick up the delivery date?"). Each item is the co-occurrence of what it is about and the kind of
 * ask it is; triage uses it when the catalogue retrieval found no Not Supported item and the request reports no
 * fault (`triage.ts`). Patterns run on the asserted text in normal form.
 */
import { ERP_NAMES } from './lexicon';

const W = '(?:[^ |]+ )'; // one word inside a clause
const ERP = `(?:${ERP_NAMES.source.replace(/^\(\?<!\[\^ \]\)|\(\?!\[\^ \]\)$/g, '')}|ledger|finance system|accounting system|accounting software|accounting package)`;
const words = (re: string) => new RegExp(`(?<![^ ])(?:${re})(?![^ ])`);

/** [Not Supported item id, what the request must say (every pattern, in any order)]. */
const CONCEPTS: Array<[id: string, all: RegExp[]]> = [
  ['custom-queries', [words('sql|select statement|t sql|database query|db query')]],
  [
    'custom-database-exports',
    [
      words(
        `(?:dump|copy|replica|backup|extract|full export|raw export) of ${W}{0,3}?(?:database|db|tables|data|everything)|(?:database|db|table|tables|raw data) (?:dump|copy|replica|backup|extract|export)|(?:into|to) (?:our |an |a )?(?:s3|bucket|data warehouse|data lake|snowflake|bigquery|azure blob)`,
      ),
    ],
  ],
  [
    'custom-code',
    [
      words(
        `(?:script|scripts|plug in|plugin|macro|macros|webhook|bespoke|custom (?:check|rule|logic|validation|button|feature|tool|development|code)|(?:write|build|code|develop|create|knock up|make) (?:us |me )?(?:a |an |some )?(?:small |little |quick |simple |custom )?(?:tool|program|bot|automation|add on|app))`,
      ),
    ],
  ],
  [
    'import-export-schedules',
    [
      words('import|imports|export|exports|sync|feed|extract|file|files|job|batch|upload'),
      words(
        `(?:run|runs|running|ran|sent|send|sends|happen|happens|arrive|arrives|land|lands|moved|move|scheduled|schedule|go|goes|kick off|kicks off|start|starts) ${W}{0,3}?(?:at|by|before|after|to|every|hourly|twice|earlier|later|more often|more frequently)(?: \\d\\S*| ${W}{0,2}?(?:am|pm|hour|hours|day|midnight|noon|morning|evening|night))|(?:every hour|hourly|twice a day|three times a day|more often|more frequently|(?:instead of|rather than) (?:once|nightly|daily|midnight|\\d\\S*))`,
      ),
    ],
  ],
  [
    'new-site-implementation',
    [
      words(
        `(?:new|another|second|third|additional|newly acquired|acquired|bought|opening|opened|open|bringing|adding|onboard|onboarding|roll out|rolling out|expand|expanding) ${W}{0,3}?(?:site|office|branch|subsidiary|entity|company|warehouse|plant|location|operation|operations|distribution center|distribution centre|division|business unit|region|country|store|depot)|acquisition|acquired|merger|subsidiary|subsidiaries`,
      ),
      words(
        `live|up and running|onto nimbello|on nimbello|on to nimbello|onto the (?:system|platform)|set up|set them up|switch them on|switched on|implement|implementation|own (?:entity|portal|approvers|ledger|suppliers)|scoping|what would be involved|onboard|onboarding|roll out|rolling out`,
      ),
    ],
  ],
  [
    'new-erp-integration',
    [
      words(
        `(?:moving|move|moved|switching|switch|migrating|migrate|go live|going live|went live|cut over|cutting over|replacing|replace|implementing|changing|change|new|different|another|adopting|adopt) ${W}{0,4}?${ERP}|${ERP} ${W}{0,3}?(?:instead|going forward|from (?:next|january|february|march|april|may|june|july|august|september|october|november|december|q\\d|the))`,
      ),
      words(
        `post|posts|posting|send|sent|push|connect|connected|integrate|integration|talk to|feed|sync|export|interface`,
      ),
    ],
  ],
  [
    'ocr-importable-field',
    [
      words('ocr|scanning|scan|scanned|capture|data capture|extraction'),
      words(
        `(?:also|additional|extra|new|another|as well)|(?:grab|capture|pick up|read|extract|pull) ${W}{0,5}?(?:as well|too|also)`,
      ),
      words('field|fields|column|reference|date|number|name|code|value'),
    ],
  ],
];

/** The Not Supported item whose idea the request states, or undefined (the first in the list order above). */
export function notSupportedConcept(asserted: string): string | undefined {
  for (const [id, all] of CONCEPTS) if (all.every((re) => re.test(asserted))) return id;
  return undefined;
}
