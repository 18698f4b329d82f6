/**
 * Words for an outage and for "everyone" beyond the product's own vocabulary (`severity-facts.ts` joins them into
 * its patterns): the symptoms people see when a web service is down (a maintenance page, a spinning wheel, an expired
 * certificate, a redirect loop, a grey page), the German, Spanish and French words customers mix into English, chat
 * spellings ("evry1", "nobdy"), everyday words for a malfunction and for a manual workaround. Patterns run on the
 * normal form (`normalise.ts`: lower case, punctuation gone, accents kept).
 */

const WORD = '(?:[^ |]+ )'; // one word inside a clause

/**
 * What people see when a web service is down, whatever they call it: enough on its own, said of any screen
 * ("the invoice page just shows a spinning wheel for the four of us").
 */
export const SYMPTOM = [
  'maintenance (?:page|screen|mode|message|banner)',
  'under maintenance',
  'redirect(?:s|ing)? loop',
  'loops? back to (?:the )?(?:log in|sign in|start)',
  'too many redirects',
  'err (?:cert|connection|name|ssl|too many|timed|address)',
  '(?:ssl |tls )?cert(?:ificate)? (?:\\S+ )?(?:expired|invalid|error)',
  '(?:this )?site can not be reached',
  'dns (?:error|failure|not resolving)',
  'spinning (?:circle|wheel|icon)',
  'keeps? spinning',
  'spins (?:forever|endlessly|and spins)',
  'loading forever',
  '(?:wheel|circle) (?:keeps )?(?:going|goes|spinning|spins) (?:round|around)',
  'nothing (?:opens|works|happens|comes up)',
  'be back (?:soon|shortly)',
  'back (?:up )?shortly',
  'temporarily unavailable',
  'scheduled maintenance',
  '(?:grey|gray|white|blank|empty)(?: \\S+)? (?:page|screen)',
  '(?:page|screen) (?:is |shows |goes |stays |just )?(?:blank|empty|white|grey|gray)',
  // German, Spanish, French
  'geht nicht',
  'funktioniert nicht',
  'nicht erreichbar',
  'ausgefallen',
  'st[oö]rung',
  'no funciona',
  'no carga',
  'no abre',
  'ca[ií]d[oa]',
  'fuera de servicio',
  'en panne',
  'ne (?:marche|fonctionne) (?:pas|plus)',
  'hors service',
].join('|');

/** Down, said of the system ("the tool seems to be off", "the site went down"). */
export const SYMPTOM_DOWN = [
  SYMPTOM,
  '(?:is|seems to be|seem to be|appears to be|are|went|gone|has gone|is gone) (?:off|offline|dark|belly up)',
  '(?:went|gone|goes|has gone) down',
  'not (?:coming|come) up',
].join('|');

/** Cannot get in, in other languages ("keiner kann sich anmelden", "no podemos entrar"). */
export const OTHER_CANNOT_ACCESS = [
  '(?:kann|können|koennen) (?:\\S+ ){0,2}?nicht (?:\\S+ )?(?:anmelden|einloggen|zugreifen|arbeiten|rein)',
  '(?:keiner|niemand) kann (?:\\S+ ){0,2}?(?:anmelden|einloggen|zugreifen|arbeiten|rein)',
  'kein zugriff',
  'no (?:podemos|puedo|pueden|puede) (?:entrar|acceder|iniciar|ingresar|conectar|trabajar)',
  'nadie puede',
  'sin acceso',
  'impossible de se connecter',
  'ne (?:peut|peuvent|pouvons) pas (?:se connecter|acc[eé]der|travailler)',
  'personne ne peut',
].join('|');

/** "Everyone" in other languages and chat spellings. */
export const OTHER_EVERYONE = [
  'evry1',
  'every1',
  'evryone',
  'everyon',
  'evrybody',
  'everybdy',
  'nobdy',
  'nobody s',
  'no1',
  'all of us',
  'all of our (?:\\S+ )?(?:users|staff|people|team|offices|sites)',
  'all (?:\\d+|our \\d+) (?:\\S+ )?(?:users|staff|people|of us)',
  '(?:the )?(?:whole|entire) (?:building|floor|tenant|org|firm|branch)',
  'keiner',
  'niemand',
  'alle (?:benutzer|kollegen|mitarbeiter|nutzer|user)',
  '(?:ganze|gesamte) (?:firma|büro|buero|team|abteilung)',
  'nadie',
  'todos',
  'toda la (?:oficina|empresa)',
  'todo el (?:equipo|mundo|personal)',
  'tout le monde',
  'personne ne',
  '(?:pour )?tous',
  "toute l ?(?:'|)(?:equipe|équipe|entreprise)",
].join('|');

/** The whole service unusable in words that name no screen: nobody can work, everything has stopped. */
export const CANNOT_WORK = [
  '(?:can not|could not|unable to|no one can|nobody can) (?:work|do (?:our|my|any) (?:job|jobs|work))',
  '(?:sitting|sat) (?:here )?idle',
  '(?:at a|to a) standstill',
  'everything (?:\\S+ )?(?:has |is )?(?:stopped|down|dead|broken|frozen)',
].join('|');

/** More than one person, in chat words: "me and the 3 others", "me and two colleagues". */
export const OTHER_GROUP =
  'me and (?:the |my |all )?(?:\\d+|two|three|four|five|six|other|others|the others|the rest|colleagues)';

/**
 * Something works wrong, in everyday words rather than "error" or "broken": held, rejected, skipped, reset, merged,
 * read as something else, nothing arrives. A loss for the severity guide (a task impaired), not an outage.
 */
export const MALFUNCTION = [
  'rejected',
  'rejects',
  'rejecting',
  '(?:went|go|goes|going|sat|sitting|stuck|are|is) on hold',
  'not (?:reflecting|reflected)',
  'not showing up',
  'not (?:been |being )?(?:processed|exported|imported|received|coded|approved|paid|matched|sent|delivered|picked up)',
  'nowhere to be (?:found|seen)',
  'astray',
  '(?:went|gone|going) missing',
  'skipping',
  'skips',
  'skipped',
  'hangs',
  'hanging',
  'frozen',
  'freezes',
  'kicked out',
  'logged out',
  'flipped',
  'flips',
  'reverts?',
  'reverted',
  'resets',
  'overwritten',
  'overwrites',
  'merged',
  'merges',
  'drops? off',
  'dropped (?:off|out)',
  'misread\\w*',
  `(?:(?:is|are|keeps?|kept|was|were) (?:reading|picking up|treating|adding|putting)|reads|picks up|treats|adds|puts) ${WORD}{0,5}?(?:as|into|in)`,
  'keeps? (?:getting|coming|being|going|sending|returning|flagging)',
  'comes? back',
  'came back',
  'does not (?:recogni[sz]e|match|pick up|balance|add up|tally)',
  '(?:do|will|would|did) not (?:balance|add up|tally|match)',
  '(?:hours|days) behind',
  `nothing ${WORD}{0,4}?(?:processed|exported|imported|posted|arrived|received|synced)`,
  '(?:shows?|showing|comes? up|coming up|appears?) as',
  '(?:goes|go|went|routes?|routed|routing) to (?:exceptions|the wrong)',
  'also changes',
  'by itself',
  'on its own',
  'for no reason',
  'randomly',
  `(?:none|not one|not a single one) of ${WORD}{1,5}?(?:got|were|was|have|has|made|came|went|arrived|reached|is|are)`,
  `(?:flags?|flagged|flagging|marks?|marked|marking) ${WORD}{0,4}?as`,
  '[a-z]*exception',
  'stack trace',
  'traceback',
  'ora \\d{4,}',
  // German, Spanish, French
  'no se (?:han|ha) (?:exportado|importado|procesado|enviado|cargado|contabilizado)',
  'no (?:llegan|llegaron|aparecen|se ven)',
  'nicht (?:exportiert|importiert|verarbeitet|übertragen|uebertragen|angekommen|gebucht)',
  'fehler',
  'error al',
  'ne (?:sont|est) pas (?:export[ée]e?s?|import[ée]e?s?|arriv[ée]e?s?)',
  'zero',
  'empty',
  'blank',
].join('|');

/** Doing by hand what the product should do: a workaround ("we correct each one", "override them one by one"). */
export const MANUAL_WORKAROUND = [
  '(?:correct|correcting|fix|fixing|amend|amending|rekey|rekeying|re keying|override|overriding|edit|editing|adjust|adjusting|retype|retyping|release|releasing) (?:each|every|all|them|those|these)',
  'one by one',
  'type (?:everything|them|it all) in',
].join('|');
