/**
 * What a request says about its impact, read from the clauses the requester did not disclaim (see `clauses.ts`): who
 * is affected (*scope*), what is lost, whether a workaround exists, and whether the requester plays it down. These are
 * the dimensions of the seed's severity guide; `severity.ts` turns them into a level. Patterns run on the normal form
 * (`can't` → `can not`, `login` → `log in`), clauses joined by " | " so that no phrase spans two clauses.
 */

import {
  CANNOT_WORK,
  MALFUNCTION,
  MANUAL_WORKAROUND,
  OTHER_CANNOT_ACCESS,
  OTHER_EVERYONE,
  OTHER_GROUP,
  SYMPTOM,
  SYMPTOM_DOWN,
} from './outage-words';

/** Who is affected. */
export type Scope = 'everyone' | 'group' | 'one';
/** What is lost, from worst to least. */
export type Loss = 'access' | 'transacting' | 'impaired' | 'cosmetic';

/** The impact facts found in a request, each with the words that showed it. */
export interface ImpactFacts {
  scope?: { value: Scope; words: string };
  loss?: { value: Loss; words: string };
  /** A system-level noun ("system", "portal", "Nimbello") next to the loss: the whole service, not one screen. */
  systemWide?: string;
  workaround?: string;
  /** "not urgent", "no rush", "minor": the requester plays the impact down. */
  hedge?: string;
  /** "slow" for many: platform performance. */
  slow?: string;
  /** The whole service is unusable, not one screen: "nothing works", "every page", "can not do any work". */
  total?: string;
  /** Bulk: "every invoice", "~300 invoices", "nothing imported", "the entire batch". */
  mass?: string;
  /** Access lost to one screen, not the service ("we can not get into the import screen"). */
  screen?: string;
  /** A web outage's symptom on any screen ("spinning wheel", "maintenance page", "500"), no system named. */
  symptom?: string;
  /** Part of the service works, or the failure comes and goes ("the rest of the portal works", "intermittent"). */
  partial?: string;
  /** One item or a handful: "one invoice", "inv 4471", "6 lines only", "rest loaded ok". */
  single?: string;
}

const W = '(?:[^ |]+ )'; // one word inside a clause

const SYSTEM =
  "(?:system|site|platform|portal|nimbello(?:'s)?|app|application|web app|website|service|services|server|servers|whole thing|log in page|log in screen|api|core services|tool|software|tenant|instance|environment|url|dashboard|home page|homepage|web portal)";
const DOWN = `(?:down|offline|outage|unavailable|unreachable|dead|not responding|unresponsive|timing out|times out|timed out|gateway timeout|bad gateway|service unavailable|connection refused|50[234]|not loading|will not load|can not load|does not load|not load|nothing loads|nothing (?:is )?loading|not opening|not open|not accessible|inaccessible|(?:can not|could not) be reached|vanished|gone|white page|will not open|does not open|blank (?:white )?screen|nothing (?:in \\S+ )?responds|does not respond|not respond|${SYMPTOM_DOWN})`;
const SYSTEM_DOWN = new RegExp(
  `(?<![^ ])(?:${SYSTEM} ${W}{0,6}?${DOWN}|${DOWN} ${W}{0,3}?${SYSTEM}|(?:total|major|complete|full) outage|outage|${DOWN} ${W}{0,3}?(?:for|to) (?:everyone|everybody|anyone|all)|(?:anyone|everyone|anybody) else ${W}{0,3}?(?:down|${DOWN}))(?![^ ])`,
);
const CANNOT_ACCESS = new RegExp(
  `(?<![^ ])(?:(?:can not|unable to|could not|not able to|can no longer|no longer able to|(?:no one|nobody|none of ${W}{1,3}?)(?: ${W}{0,4}?)?can)(?: (?:even|still|currently|actually))? (?:log in|access|reach|load|open|use|get past|connect|get in|get into|get on|enter|sign in|sign on|log on|login)|log in ${W}{0,2}?(?:broken|not working|down|failing|fails|are failing|is failing|spins|times out|loops|loops back)|(?:nobody|no one|0 (?:ppl|people|users)|none of us) (?:(?:is |are |gets? |got |can get )in|in(?= \\||$))|no access|lost access|locked out|access denied|access is denied|permission denied|not authori[sz]ed|unauthori[sz]ed|401|403|${OTHER_CANNOT_ACCESS})(?![^ ])`,
);
const SYMPTOM_ALONE = new RegExp(`(?<![^ ])(?:${SYMPTOM})(?![^ ])`);
const CAN_LOG_IN = /(?<![^ ])(?:can|could|are able to) (?:still )?log in(?![^ ])/g;
/** "we can still log in" (not "nobody in the organisation can log in"): a negative word earlier in the clause undoes it. */
function canLogIn(text: string): boolean {
  for (const m of text.matchAll(CAN_LOG_IN)) {
    const before = text.slice(0, m.index).split(' | ').pop() ?? '';
    if (!/(?<![^ ])(?:nobody|no one|none|not|never|no|nor|0)(?![^ ])/.test(before)) return true;
  }
  return false;
}

const EVERYONE = new RegExp(
  `(?<![^ ])(?:nobody|no one|none of (?:us|them|the|our|${W})|everyone(?:'s)?|everybody(?:'s)?|every user|every one of|every single user|all (?:of )?(?:our |the |my )?(?:users|staff|us|colleagues|people|employees|approvers|sites|companies|clients|entities|offices|locations)|all users|whole (?:company|business|office|organisation|organization|group|of|${W}?team|${W}?department)|entire (?:company|business|office|organisation|organization|group|${W}?team)|company wide|business wide|group wide|platform wide|across the (?:business|company|group|board|organisation|organization|platform|whole)|whole (?:platform|system|site|app|service)|for anyone|any of (?:us|our|the)|any (?:user|users|supplier|of)|anyone|other sites|all sites|everywhere|for all|across all|${OTHER_EVERYONE})(?![^ ])`,
);
const GROUP = new RegExp(
  String.raw`(?<![^ ])(?:we|us|our (?:team|users|staff|office|department|ap team|finance team)|the team|several users|some users|a few (?:users|people|of us)|a couple of (?:users|people)|(?:~|about |some |around |over )?\d+ (?:other )?(?:ppl|people|users|staff|of us|clerks|colleagues)|(?:two|three|four|five|six|ten|twenty|thirty|forty|fifty|sixty|hundred)\w* (?:ppl|people|users|staff|of us)|colleagues|coworkers|co workers|our (?:\S+ )?(?:department|dept|division|team)|${OTHER_GROUP})(?![^ ])`,
);
const ONE =
  /(?<![^ ])(?:just me|only me|for me|it is me|i am the only|only for me|a user|one user|a colleague|my colleague|our colleague|a couple of users|i can not|i am unable|i am locked|my (?:account|password|log in)|(?:a |our |my )?new (?:starter|user|hire|joiner|employee|clerk)|(?:he|she) (?:is |can not|could not|has been))(?![^ ])/;

const TRANSACT =
  '(?:invoice|invoices|invoicing|post|posted|posting|approve|approved|approving|approval|approvals|pay|paid|payment|payments|payment run|transact|process|processed|processing|raise|raised|submit|submitted|release|released|close|month end|code|coding)';
const TRANSACT_BLOCKED = new RegExp(
  `(?<![^ ])(?:(?:can not|unable to|could not|not able to|no one can|nobody can|none of ${W}{1,3}can|can no longer|can not be|cannot be|will not)(?: be)?(?: (?:even|still|actually|currently))? ${TRANSACT}|${TRANSACT} ${W}{0,5}?(?:is |are |has |have |been )*(?:blocked|stuck|stopped|halted|at risk|failing|fails|failed|will not go through|not going through|ground to a halt)|blocked from ${W}{0,1}${TRANSACT}|ground to a halt|(?:no|nothing|not one) ${W}{0,2}?(?:is |are |can be |be )?${TRANSACT}|every (?:invoice|posting|payment|approval) ${W}{0,4}?(?:error|errors|fails|failed))(?![^ ])`,
);
const WIDE_WORDS =
  /(?<![^ ])(?:at all|any|anything|anyone|anywhere|nothing|every|everywhere|across|whole|entire|all)(?![^ ])/;
const SLOW = /(?<![^ ])(?:slow|sluggish|very laggy|laggy|takes? (?:\d+|ages|forever|minutes)|performance is)(?![^ ])/;

const TOTAL = new RegExp(
  `(?<![^ ])(?:nothing (?:works|is working|beyond|loads|at all)|(?:on |)(?:every|each|any) (?:single |other )?(?:page|screen)|literally every|can not do (?:any|anything)|(?:nobody|no one)${W}{0,3}?can do (?:anything|any)|(?:whole|entire) (?:portal|system|site|app|platform)|completely (?:inaccessible|down|unusable|frozen)|freezes completely|(?:operations|everything) ${W}{0,2}?(?:halted|stopped)|all operations|${CANNOT_WORK})(?![^ ])`,
);
const MASS = new RegExp(
  `(?<![^ ])(?:(?:unas|unos|m[aá]s de|über|ueber|mehr als|rund|plus de|environ) \\d[\\d,.]*|every (?:invoice|single invoice|one of (?:our|the|them)|multi|euro|batch|po|file|line)|all (?:of )?(?:the |our |today s |todays |yesterday s |yesterdays |of today s |these )?(?:invoices|pos|batches|entities|companies|euro|lines)|(?:whole|entire) ${W}{0,2}?(?:batch|queue|file|day s|ap|of ap|finance|ledger)|~?\\d[\\d,]{1,} (?:${W}{0,2}?)(?:invoices|documents|lines|pos|stuck)|(?:hundreds|thousands|dozens) of|(?:none|zero|0|not one) of (?:them|the|our|these|\\d)|nothing (?:new )?(?:has )?(?:imported|processed|been processed|came in|come in|going|reaching|can match|will match|appears|has come|to work on)|(?:no|zero) (?:new )?(?:invoices|pos|vendors) (?:have |has )?(?:come|came|match|in)|(?:can not|could not|unable to) (?:run |make |release )?(?:payments|pay anyone|approve any)|payment run|payment cycle|(?:all|every) (?:four|three|two|\\d+) (?:companies|entities|sites)|every company|stop (?:posting|processing)|stopped processing|frozen all|ground to a halt|stalled|backed up|dumps into exceptions|credit hold)(?![^ ])`,
);
const SINGLE =
  /(?<![^ ])(?:one (?:invoice|of our|of the|approver|user|supplier|vendor|entity|po)|a single|this one|inv ?#?|invoice #|\d (?:invoices|lines|pos|rows)|(?:only|just) (?:\d+|one|two|three|a few|six|five)|(?:rest|others?) (?:of (?:that|the) \S+ )?(?:loaded|is|are|came|went)? ?(?:ok|fine)|the other [\d,]+)(?![^ ])/;

const IMPAIRED = new RegExp(
  String.raw`(?<![^ ])(?:broken|not working|does not work|stopped working|error|errors|erroring|errored|fail|fails|failing|failed|crash|crashes|crashed|bug|does nothing|greyed out|will not|can not|unable|stuck|missing|wrong|incorrect|problem|issue|not showing|not appearing|disappears|disappeared|exception|popup|slow|timing out|times out|does not do anything|do not do anything|loses|never (?:arrives|arrived|reached|came|come|turned up)|(?:have|has|had|are|is) not (?:\S+ )?(?:imported|arrived|turned up|come|reached|appeared|posted|synced|gone through|made it)|swaps|swapped|lands in|turns into|comes? through (?:blank|empty|as)|reads? ${W}{1,4}?as|taking ${W}{1,4}?as|putting ${W}{1,4}?into|populated with|doubled|duplicated|twice|stopped arriving|no longer|vanish|vanishes|goes (?:completely )?blank|${MALFUNCTION}|(?:do|does|did|will|would|is|are|was|were) not (?:send|sending|save|saving|load|loading|work|working|open|post|posting|export|import|submit|show|showing|appear|arrive|sync|upload|print|go through|come through|update|calculate))(?![^ ])`,
);
const COSMETIC =
  /(?<![^ ])(?:cosmetic|typo|spelling|spelled wrong|spelt wrong|spelled incorrectly|misspelt|misspelled|misaligned|alignment|overlap|overlaps|overlapping|colour|color|font|display thing|display issue|just a display|stretched|cut off|hard to read|looks (?:odd|wrong|weird|off|funny)|purely|small thing|slightly|formatting|in us format|wrong format|truncated)(?![^ ])/;
const HEDGE =
  /(?<![^ ])(?:not urgent|no rush|nothing urgent|when you get a chance|low priority|no hurry|minor|bit annoying|manageable|not a big deal|(?:is|it is|it s) not urgent|none of (?:them|which|these|it) (?:\S+ )?(?:catastrophic|serious|urgent|critical|major|blocking)|nothing (?:serious|critical|major|blocking)|slight oddity|oddity|not the end of the world)(?![^ ])/;
const WORKAROUND = new RegExp(
  `(?<![^ ])(?:${MANUAL_WORKAROUND}|workaround|work around|${W}{1,3}instead(?= \\||$)|for now|in the meantime|meanwhile|manually|by hand|alternative|another way|other way|can (?:still )?(?:use|approve|reject|print|do|download|export|enter|code|post) ${W}{0,3}?(?:from|via|through|on|in|with|instead|manually|though)|(?<!log in )(?<!logging in )(?<!sign in )${W}{1,3}works(?: fine)?|${W}{1,2}(?:is|are) fine|still works|(?:other|rest) ${W}{0,2}?(?:work|works|went fine|are fine|fine))(?![^ ])`,
);

/** Part of the service still works, or it fails now and then: not "completely down" (the seed's Severity 1). */
const PARTIAL =
  /(?<![^ ])(?:(?:the )?rest of (?:the )?(?:system|portal|site|app|platform|nimbello|tool) (?:[^ ]+ ){0,5}?(?:works|working|fine|ok|normal|normally)|still (?:get |getting |logged )?in(?= \||$)|everything else (?:works|is fine|is working|seems fine)|(?:logging|log) in works|intermittent|intermittently|on and off|comes and goes|(?:it s |it is |is |seems )?back (?:now|up|again)|working again|came back|come back up|(?:through|via|using|in) the (?:ui|portal|web site|website|web app|front end|browser)(?: \S+)? (?:meanwhile|instead|for now|in the meantime))(?![^ ])/;

/** The link to another system is down ("interface down between Nimbello and SAP"), not the service itself. */
const INTEGRATION_DOWN = new RegExp(
  `(?<![^ ])(?:(?:interface|integration|connector|middleware|idoc|idocs|sync|feed|link) ${W}{0,2}?(?:is |are )?${DOWN}|${DOWN} between)(?![^ ])`,
);

/** The words of a link-down phrase when the first outage phrase is part of it (else the service itself is down). */
function linkDown(text: string): string | undefined {
  const down = SYSTEM_DOWN.exec(text);
  const link = INTEGRATION_DOWN.exec(text);
  if (!down || !link) return undefined;
  const overlap = link.index < down.index + down[0].length && down.index < link.index + link[0].length;
  return overlap ? link[0] : undefined;
}

/** Right after the access words, one screen or part of it ("can not get into the import screen"). */
const ONE_SCREEN =
  /^(?: [^ |]+){0,4}? (screen|page|tab|module|report|reports|button|menu|folder|field|section|view|queue)(?![^ ])/;

function first(re: RegExp, text: string): string | undefined {
  return re.exec(text)?.[0];
}

const NEGATED_BEFORE = /(?:^| )(?:no|not|without|never|nor)(?: [^ |]+){0,2} $/;

/** The first match of `re` not negated by the words just before it ("there is no workaround"). */
function firstNotNegated(re: RegExp, text: string): string | undefined {
  const global = new RegExp(re.source, 'g');
  for (const m of text.matchAll(global)) {
    if (/(?<![^ ])(?:nothing|nobody|none|beyond|our|my|their)(?![^ ])/.test(m[0])) continue;
    if (!NEGATED_BEFORE.test(text.slice(Math.max(0, m.index - 30), m.index))) return m[0];
  }
  return undefined;
}

/** Read the impact facts from the asserted (not disclaimed) text in normal form; `whole` (all clauses) for hedging. */
export function readImpact(asserted: string, whole?: string): ImpactFacts {
  const facts: ImpactFacts = {};
  const everyone = first(EVERYONE, asserted);
  // "is it just me or is nothing loading?" asks whether everyone is affected: it does not say one person is.
  const one = first(ONE, asserted.replace(/(?<![^ ])(?:is it|is this)(?: \| | )(?:just|only) (?:me|us)(?![^ ])/g, ''));
  const group = first(GROUP, asserted);
  if (everyone) facts.scope = { value: 'everyone', words: everyone };
  else if (one && !(group && !/^(?:we|us)$/.test(group))) facts.scope = { value: 'one', words: one };
  else if (group) facts.scope = { value: 'group', words: group };

  const systemDown = first(SYSTEM_DOWN, asserted);
  const cannotAccess = canLogIn(asserted) ? undefined : first(CANNOT_ACCESS, asserted);
  const transacting = first(TRANSACT_BLOCKED, asserted);
  const cosmetic = first(COSMETIC, asserted);
  const impaired = first(IMPAIRED, asserted);
  const integration = systemDown ? linkDown(asserted) : undefined;
  if (systemDown && integration) {
    // The link between the system and an ERP is down, not the system: posting is blocked.
    facts.loss = { value: 'transacting', words: integration };
  } else if (systemDown) {
    facts.loss = { value: 'access', words: systemDown };
    facts.systemWide = systemDown;
  } else if (cannotAccess) {
    facts.loss = { value: 'access', words: cannotAccess };
    const system = new RegExp(`(?<![^ ])${SYSTEM}(?![^ ])`).exec(asserted);
    if (system) facts.systemWide = system[0];
    const after = asserted.slice(asserted.indexOf(cannotAccess) + cannotAccess.length);
    const screen = ONE_SCREEN.exec(after);
    if (screen) facts.screen = screen[1];
  } else if (first(SYMPTOM_ALONE, asserted)) {
    facts.symptom = first(SYMPTOM_ALONE, asserted);
    facts.loss = { value: 'access', words: facts.symptom ?? '' };
  } else if (transacting) facts.loss = { value: 'transacting', words: transacting };
  else if (cosmetic) facts.loss = { value: 'cosmetic', words: cosmetic };
  else if (impaired) facts.loss = { value: 'impaired', words: impaired };
  if (
    facts.loss?.value === 'transacting' &&
    facts.scope?.value !== 'everyone' &&
    facts.scope?.value !== 'one' &&
    WIDE_WORDS.test(asserted)
  )
    facts.scope = { value: 'everyone', words: first(WIDE_WORDS, asserted) ?? 'all' };

  const total = first(TOTAL, asserted);
  if (total) facts.total = total;
  const mass = first(MASS, asserted);
  if (mass) facts.mass = mass;
  const single = first(SINGLE, asserted);
  if (single) facts.single = single;
  const slow = first(SLOW, asserted);
  if (slow) facts.slow = slow;
  const workaround = firstNotNegated(WORKAROUND, asserted);
  if (workaround) facts.workaround = workaround.trim();
  const partial = first(PARTIAL, asserted);
  if (partial) facts.partial = partial;
  // A disclaimed clause still plays the impact down ("so it is not urgent" is set aside as a disclaimer).
  const hedge = first(HEDGE, whole ?? asserted);
  if (hedge) facts.hedge = hedge;
  return facts;
}
