import { DateTime } from 'luxon';
import type { App } from '../../bootstrap';
import { readClocks } from '../../domain/ticket/clocks';
import type { Ticket, TicketEvent } from '../../domain/ticket/ticket';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function shell(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>${escapeHtml(title)} · Helpline reports</title>
<link rel="icon" href="data:," />
<link rel="stylesheet" href="/reports/static/app.css" />
</head>
<body>
<main class="page">
${body}
</main>
</body>
</html>
`;
}

/** A plain page with a heading and one paragraph (refusals, expired links). */
export function messagePage(title: string, text: string): string {
  return shell(title, `<h1>${escapeHtml(title)}</h1>\n<p class="notice" role="alert">${escapeHtml(text)}</p>`);
}

/**
 * The page a report link opens: a button whose POST spends the link and starts the session. Opening the link
 * (a GET, as link scanners and chat previews do) spends nothing.
 */
export function openLinkPage(name: string, token: string): string {
  return shell(
    'Open the reports',
    `<h1>Open the reports</h1>
<p>This link is for ${escapeHtml(name)}. It works once: the button starts your reports session for the working day.</p>
<form method="post" action="/reports/open">
<input type="hidden" name="token" value="${escapeHtml(token)}" />
<button type="submit" class="btn">Open the reports</button>
</form>`,
  );
}

/** One ticket as the report links to it: summary, clocks and its history. */
export function ticketPage(app: App, t: Ticket, events: TicketEvent[]): string {
  const tz = app.policy.calendar.timeZone;
  const now = app.clock.now();
  const at = (d: Date) => DateTime.fromJSDate(d, { zone: tz }).toFormat('ccc d LLL yyyy HH:mm');
  const clocks = readClocks(t, now, app.policy, app.calendar);
  const rows = events
    .map(
      (e) =>
        `<tr><td>${escapeHtml(at(e.at))}</td><td>${escapeHtml(e.actor.name)}</td><td>${escapeHtml(e.type)}</td><td>${escapeHtml(
          [e.from, e.to].filter((x) => x !== undefined && x !== null).join(' → '),
        )}</td><td>${escapeHtml(e.note ?? '')}</td></tr>`,
    )
    .join('\n');
  return shell(
    t.number,
    `<p><a href="/reports">← Back to the reports</a></p>
<h1>${escapeHtml(t.number)}: ${escapeHtml(t.title)}</h1>
<dl class="facts">
<dt>Severity</dt><dd>${t.severity}</dd>
<dt>Status</dt><dd>${escapeHtml(app.policy.statuses[t.status]?.name ?? t.status)}</dd>
<dt>Team</dt><dd>${escapeHtml(app.policy.teams[t.team]?.name ?? t.team)}</dd>
<dt>Client</dt><dd>${escapeHtml(t.client || '(none)')}</dd>
<dt>Raised</dt><dd>${escapeHtml(at(t.createdAt))} by ${escapeHtml(t.requester.name)}</dd>
<dt>Assignee</dt><dd>${escapeHtml(t.assignee?.name ?? 'nobody')}</dd>
<dt>SLA</dt><dd>${escapeHtml(clocks.response.line)}<br />${escapeHtml(clocks.resolution.line)}</dd>
</dl>
<h2>History</h2>
<table><thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Change</th><th scope="col">Note</th></tr></thead>
<tbody>${rows}</tbody></table>`,
  );
}
