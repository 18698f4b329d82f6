import fs from 'node:fs';
import path from 'node:path';
import type restify from 'restify';
import { liveSession, type OpenProblem, openReportSession, peekReportLink } from '../../app/reports/access';
import { buildReport } from '../../app/reports/figures';
import { sessionIdOf, signSessionId } from '../../app/reports/link-token';
import type { ReportSession } from '../../app/reports/ports';
import { reportTables, toCsv } from '../../app/reports/tables';
import type { App } from '../../bootstrap';
import { InvalidInputError, StoreUnavailableError } from '../../domain/errors';
import { projectRoot } from '../../store/local-mongo';
import { requestLog } from '../server';
import { messagePage, openLinkPage, ticketPage } from './pages';

export const REPORTS_COOKIE = 'helpline_reports';

/** The only files /reports/static/ serves (a Map: no prototype key such as `constructor` is ever a file). */
const STATIC = new Map<string, string>([
  ['app.js', 'application/javascript; charset=utf-8'],
  ['app.css', 'text/css; charset=utf-8'],
]);

/** The link page's form carries one token (about 300 characters). */
const OPEN_BODY_BYTES = 4096;

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

const PROBLEMS: Record<OpenProblem, { status: number; title: string; text: string }> = {
  expired: {
    status: 401,
    title: 'This link has expired',
    text: 'Report links work for 15 minutes. Ask the bot again for a new one.',
  },
  used: {
    status: 401,
    title: 'This link was already used',
    text: 'Each report link opens the dashboard once. Ask the bot again for a new one.',
  },
  tampered: {
    status: 401,
    title: 'This link is not valid',
    text: 'The link was changed or cut short. Ask the bot again for a new one.',
  },
  malformed: {
    status: 401,
    title: 'This link is not valid',
    text: 'The link was changed or cut short. Ask the bot again for a new one.',
  },
  not_allowed: {
    status: 403,
    title: 'The reports are for managers',
    text: 'The SLA and satisfaction reports are for support managers and Administrative Staff.',
  },
};
const ASK_AGAIN = 'In Slack: /ticket report. In Teams or the playground: send "report" to Helpline.';

/** The cookie's value, or null when it is absent or not even well-encoded (a bad cookie is no session). */
function cookieOf(req: restify.Request, name: string): string | null {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k !== name) continue;
    try {
      return decodeURIComponent(v.join('='));
    } catch {
      return null;
    }
  }
  return null;
}

function send(res: restify.Response, status: number, type: string, body: string | Buffer, extra: object = {}) {
  res.writeHead(status, { 'content-type': type, ...SECURITY_HEADERS, ...extra });
  res.end(body);
}

type Handler = (req: restify.Request, res: restify.Response) => Promise<void>;

/**
 * Every report route's one error answer: a bad range or input is a 400 with what to change; anything else is
 * logged and answered with a generic message and the request id (never a path, a stack or an error's text).
 */
function answering(app: App, kind: 'html' | 'json', handler: Handler): Handler {
  return async (req, res) => {
    try {
      await handler(req, res);
    } catch (err) {
      if (res.headersSent) {
        requestLog(req, app.log).error({ err: (err as Error).message }, 'report route failed mid-answer');
        res.end();
        return;
      }
      if (err instanceof InvalidInputError) {
        if (kind === 'json') send(res, 400, 'application/json', JSON.stringify({ error: err.message }));
        else send(res, 400, 'text/html; charset=utf-8', messagePage('That cannot be shown', err.message));
        return;
      }
      requestLog(req, app.log).error({ err: (err as Error).message, url: req.url }, 'report route failed');
      const id = String(res.getHeader('x-request-id') ?? '');
      const reference = id ? ` (reference ${id})` : '';
      // The database being away is known and passes (503); anything else is ours (500). Neither says more.
      const down = err instanceof StoreUnavailableError;
      const status = down ? 503 : 500;
      const text = down
        ? `The reports cannot reach their database right now. Please try again in a minute${reference}.`
        : `Something went wrong on our side. Please try again${reference}.`;
      if (kind === 'json')
        send(res, status, 'application/json', JSON.stringify({ error: text, ...(id ? { requestId: id } : {}) }));
      else send(res, status, 'text/html; charset=utf-8', messagePage('The reports could not be shown', text));
    }
  };
}

/**
 * The dashboard at /reports, for managers and Administrative Staff: a link from the bot (`/reports/open?token=`)
 * opens a page whose button (a POST) spends it and starts a session (a cookie naming a session document in
 * MongoDB, so any replica serves it); every data route answers 401 without one. Tables and CSV come from the same report; charts are drawn by chart.js from the
 * project's own node_modules.
 */
export function mountReports(server: restify.Server, app: App): void {
  // Secure everywhere but local development, and always behind an https PUBLIC_URL.
  const secure = app.env.NODE_ENV !== 'development' || app.publicUrl().startsWith('https:');
  const webRoot = path.join(projectRoot(), 'src', 'web', 'reports');
  // chart.js's exports map hides dist/: find it beside the package's main file.
  const chartJs = path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js');

  async function session(req: restify.Request): Promise<ReportSession | null> {
    const raw = cookieOf(req, REPORTS_COOKIE);
    return liveSession(app, raw ? sessionIdOf(app.reportsSecret, raw) : null);
  }
  const refuse = (res: restify.Response, json: boolean) =>
    json
      ? send(res, 401, 'application/json', JSON.stringify({ error: 'no report session: ask the bot for a link' }))
      : send(
          res,
          401,
          'text/html; charset=utf-8',
          messagePage('Ask the bot for a link', `The reports open from a personal link. ${ASK_AGAIN}`),
        );
  const range = (req: restify.Request) => {
    const q = new URL(req.url ?? '/', 'http://x').searchParams;
    return { from: q.get('from'), to: q.get('to') };
  };
  const tablesFor = async (req: restify.Request) => {
    const report = await buildReport(app, range(req));
    const ladder = app.policy.escalation.ladder;
    return {
      report,
      tables: reportTables(report, {
        status: (id) => app.policy.statuses[id as keyof typeof app.policy.statuses]?.name ?? id,
        team: (id) => app.policy.teams[id as keyof typeof app.policy.teams]?.name ?? id,
        ladder: (level) => ladder[level]?.name ?? `Level ${level}`,
      }),
    };
  };

  const linkToken = (req: restify.Request) => {
    const token = new URL(req.url ?? '/', 'http://x').searchParams.get('token') ?? '';
    return token.length <= 2000 ? token : '';
  };
  const problemPage = (req: restify.Request, res: restify.Response, problem: OpenProblem) => {
    const p = PROBLEMS[problem];
    requestLog(req, app.log).info({ problem }, 'report link refused');
    send(res, p.status, 'text/html; charset=utf-8', messagePage(p.title, `${p.text} ${ASK_AGAIN}`));
  };
  /** A form posted from another site (a browser says so): refused, so no page elsewhere can start a session here. */
  const crossSite = (req: restify.Request) => {
    if (req.headers['sec-fetch-site'] === 'cross-site') return true;
    const origin = req.headers.origin;
    if (!origin || origin === 'null') return false;
    try {
      const host = new URL(origin).host;
      return host !== req.headers.host && host !== new URL(app.publicUrl()).host;
    } catch {
      return true;
    }
  };

  // The link from the bot: a page with a button. Looking spends nothing (link scanners, previews, a second look).
  server.get(
    '/reports/open',
    answering(app, 'html', async (req, res) => {
      const token = linkToken(req);
      const r = await peekReportLink(app, app.reportsSecret, token);
      if (!r.ok) return problemPage(req, res, r.problem);
      send(res, 200, 'text/html; charset=utf-8', openLinkPage(r.name, token));
    }),
  );

  // The button: spends the link (once) and starts the session.
  server.post(
    { path: '/reports/open', readBody: { types: ['form'], as: 'parsed', maxBytes: OPEN_BODY_BYTES } },
    answering(app, 'html', async (req, res) => {
      if (crossSite(req))
        return send(res, 403, 'text/html; charset=utf-8', messagePage('Open the link from the bot', ASK_AGAIN));
      const body = req.body as { token?: unknown } | undefined;
      const token = typeof body?.token === 'string' && body.token.length <= 2000 ? body.token : '';
      const r = await openReportSession(app, app.reportsSecret, token);
      if (!r.ok) return problemPage(req, res, r.problem);
      const maxAge = Math.floor((r.session.expiresAt.getTime() - r.session.createdAt.getTime()) / 1000);
      const cookie = [
        `${REPORTS_COOKIE}=${encodeURIComponent(signSessionId(app.reportsSecret, r.session.id))}`,
        'Path=/reports',
        `Max-Age=${maxAge}`,
        'HttpOnly',
        'SameSite=Lax',
        ...(secure ? ['Secure'] : []),
      ].join('; ');
      // 303: the browser follows with a GET, and a reload does not post the token again.
      send(res, 303, 'text/plain; charset=utf-8', 'See /reports', { location: '/reports', 'set-cookie': cookie });
    }),
  );

  server.get(
    '/reports',
    answering(app, 'html', async (req, res) => {
      if (!(await session(req))) return refuse(res, false);
      send(res, 200, 'text/html; charset=utf-8', await fs.promises.readFile(path.join(webRoot, 'index.html')));
    }),
  );

  server.get(
    '/reports/api/report',
    answering(app, 'json', async (req, res) => {
      const s = await session(req);
      if (!s) return refuse(res, true);
      const { report, tables } = await tablesFor(req);
      send(
        res,
        200,
        'application/json',
        JSON.stringify({
          viewer: s.who.name,
          generatedAt: report.generatedAt,
          timeZone: report.timeZone,
          weeks: report.weeks.map((w) => w.id),
          // The seed's SLA table as the policy states it (sla.targets): the lines the averages are read against.
          seedAverages: { response: app.policy.sla.targets.response, resolution: app.policy.sla.targets.resolution },
          tables,
        }),
      );
    }),
  );

  server.get(
    '/reports/csv/:table',
    answering(app, 'json', async (req, res) => {
      if (!(await session(req))) return refuse(res, true);
      const { tables } = await tablesFor(req);
      const t = tables.find((x) => x.id === req.params.table);
      if (!t) return send(res, 404, 'application/json', JSON.stringify({ error: 'no such table' }));
      send(res, 200, 'text/csv; charset=utf-8', toCsv(t), {
        'content-disposition': `attachment; filename="helpline-${t.id}.csv"`,
      });
    }),
  );

  server.get(
    '/reports/tickets/:number',
    answering(app, 'html', async (req, res) => {
      if (!(await session(req))) return refuse(res, false);
      const number = String(req.params.number ?? '');
      const ticket = /^SR-[1-9]\d{0,9}$/.test(number) ? await app.tickets.get(number) : null;
      if (!ticket)
        return send(res, 404, 'text/html; charset=utf-8', messagePage('No such ticket', 'No ticket has that number.'));
      send(res, 200, 'text/html; charset=utf-8', ticketPage(app, ticket, await app.events.listFor(number)));
    }),
  );

  // Public (the refusal pages need the style sheet); only the allow-listed files, by name.
  server.get(
    '/reports/static/:file',
    answering(app, 'html', async (req, res) => {
      const file = String(req.params.file ?? '');
      const type = STATIC.get(file);
      if (!type) return send(res, 404, 'text/plain; charset=utf-8', 'not found');
      send(res, 200, type, await fs.promises.readFile(path.join(webRoot, file)), { 'cache-control': 'no-cache' });
    }),
  );

  server.get(
    '/reports/vendor/chart.umd.min.js',
    answering(app, 'html', async (_req, res) => {
      const body = (await fs.promises.readFile(chartJs, 'utf8')).replace(/\/\/# sourceMappingURL=.*$/m, '');
      send(res, 200, 'application/javascript; charset=utf-8', body, { 'cache-control': 'public, max-age=3600' });
    }),
  );
}
