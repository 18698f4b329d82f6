/**
 * What the requester should still be asked for (heuristics, in this fixed order): `businessImpact` unless an impact
 * word appears or the severity is 1 or 2; `client` unless a client / company word, a legal suffix or a capitalised
 * name after "from" / "at" / "we are" / "on behalf of" appears; `evidence` unless there is a URL, a file name, an
 * attachment or screenshot mention, a quoted message, an "error:" colon or an error code; `steps` unless the text
 * describes steps ("when I", "after clicking", "to reproduce", a numbered list).
 */

/** One piece of information triage can ask for. */
export type MissingItem = 'businessImpact' | 'client' | 'evidence' | 'steps';

const IMPACT_RE =
  /(?<![^ ])(?:users|customers|clients|staff|everyone|everybody|nobody|no one|all|blocked|blocking|urgent|urgently|asap|deadline|revenue|can not|unable|critical|month end|year end|payroll|payments|affected|affecting|impact|impacting|stuck|delayed|overdue|sla breach)(?![^ ])/;
const CLIENT_WORD_RE =
  /(?<![^ ])(?:client|clients|client's|customer|customer's|company|company's|organisation|organization|tenant|webapp|web app|ltd|limited|plc|inc|llc|gmbh|corp|corporation|trust|council|on behalf of)(?![^ ])/;
const CLIENT_NAME_RE =
  /\b(?:[Ff]rom|[Aa]t|[Ww]e are|[Ww]e're|[Oo]n behalf of)\s+(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December|Level|Support|Nimbello|Service|Hubspot|HubSpot|The|This|That|Product|Admin|Development|Dev|Please|Thanks|Thank)\b)[A-Z][a-z][\w&'-]+/;
const EVIDENCE_RAW_RE =
  /https?:\/\/|\bwww\.|\b[\w-]+\.(?:csv|tsv|xlsx?|xml|json|txt|log|pdf|png|jpe?g|gif|zip|docx?|edi)\b|["\u201c][^"\u201c\u201d\n]{4,}["\u201d]|\b(?:error|code|status|exception|message|says|said|shows)\s*:|\b(?:error|code|status|http)\s*#?\s*[A-Za-z_-]{0,6}\d{3,}\b|\b[A-Z]{2,6}[-_]\d{2,}\b/;
const EVIDENCE_WORD_RE =
  /(?<![^ ])(?:attached|attachment|attachments|attaching|screenshot|screenshots|screen shot|screen grab|recording|video|stack trace|error log|log file|exception|error message says|error says|error reads)(?![^ ])/;
const STEPS_WORD_RE =
  /(?<![^ ])(?:steps|step 1|when i|when we|when you|when trying|whenever i|whenever we|after i|after we|after clicking|i clicked|we clicked|i click|then i|then we|to reproduce|first i|i went to|we went to)(?![^ ])/;
const NUMBERED_1_RE = /(?:^|\s)(?:1[.)]|step 1\b)\s*\S/i;
const NUMBERED_2_RE = /(?:^|\s)(?:2[.)]|step 2\b)\s*\S/i;

/** The information `raw` (and its normal form `normal`) still lacks; `highImpact` when the severity is 1 or 2. */
export function missingInformation(raw: string, normal: string, highImpact: boolean): MissingItem[] {
  const missing: MissingItem[] = [];
  if (!highImpact && !IMPACT_RE.test(normal)) missing.push('businessImpact');
  if (!CLIENT_WORD_RE.test(normal) && !CLIENT_NAME_RE.test(raw)) missing.push('client');
  if (!EVIDENCE_RAW_RE.test(raw) && !EVIDENCE_WORD_RE.test(normal)) missing.push('evidence');
  if (!STEPS_WORD_RE.test(normal) && !(NUMBERED_1_RE.test(raw) && NUMBERED_2_RE.test(raw))) missing.push('steps');
  return missing;
}

const CLIENT_NAMED_RE =
  /\b(?:(?:[Ff]rom|[Aa]t|[Ff]or|[Ww]e are|[Ww]e're|[Oo]n behalf of|[Cc]lient|[Cc]ustomer)\s+)(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December|Level|Support|Nimbello|Service|Hubspot|HubSpot|The|This|That|Product|Admin|Development|Dev|Please|Thanks|Thank|OCR|ERP|SLA|SOC|AP|IT|Sage|NetSuite|Xero|Dynamics|SAP|Oracle|Workday)\b)([A-Z][A-Za-z0-9&'-]+(?:\s+(?:[A-Z][A-Za-z0-9&'-]+|&))*(?:\s+(?:Ltd|Limited|plc|PLC|Inc|LLC|GmbH|Council|Trust|Group))?)|\b([A-Z][A-Za-z0-9&'-]+(?:\s+[A-Z][A-Za-z0-9&'-]+)*\s+(?:Ltd|Limited|plc|PLC|Inc|LLC|GmbH|Council|Trust|Group))\b/;

/**
 * The client a request names, when it names one the way staff do ("from Acme", "for Northgate Foods",
 * "Brightwell Ltd", "client Harlow Council"); undefined otherwise. Capitalised words only: a guess to pre-fill
 * the form, which the requester can change.
 */
export function clientNamed(raw: string): string | undefined {
  const m = CLIENT_NAMED_RE.exec(raw);
  const name = (m?.[1] ?? m?.[2])?.trim();
  return name && name.length <= 80 ? name : undefined;
}
