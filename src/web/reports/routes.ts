import fs from 'node:fs';
import path from 'node:path';
import type restify from 'restify';
import { liveSession, type OpenProblem, openReportSession } from '../../app/reports/access';
import { buildReport } from '../../app/reports/figures';
import { sessionIdOf, signSessionId } from '../../app/reports/link-token';
import type { ReportSession } from '../../app/reports/ports';
import { reportTables, toCsv } from '../../app/reports/tables';
import type { App } from '../../bootstrap';
import { projectRoot } from '../../store/local-mongo';
import { requestLog } from '../server';
import { messagePage, ticketPage } from './pages';

export const REPORTS_COOKIE = 'helpline_reports';

const STATIC: Record<string, string> = {
  'app.js': 'application/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

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

function cookieOf(req: restify.Request, name: string): string | null {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}

function send(res: restify.Response, status: number, type: string, body: string | Buffer, extra: object = {}) {
  res.writeHead(status, { 'content-type': type, ...SECURITY_HEADERS, ...extra });
  res.end(body);
}

/**
 * The dashboard at /reports, for managers and Administrative Staff: a link from the bot (`/reports/open?token=`)
 * starts a session (a cookie naming a session document in MongoDB, so any replica serves it); every data route
 * answers 401 without one. Tables and CSV come from the same report; charts are drawn by chart.js from the
 * project's own node_modules.
 */
export function mountReports(server: restify.Server, app: App): void {
  const secure = app.env.NODE_ENV !== 'development';
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

  server.get('/reports/open', async (req: restify.Request, res: restify.Response) => {
    const token = new URL(req.url ?? '/', 'http://x').searchParams.get('token') ?? '';
    const r = await openReportSession(app, app.reportsSecret, token);
    if (!r.ok) {
      const p = PROBLEMS[r.problem];
      requestLog(req, app.log).info({ problem: r.problem }, 'report link refused');
      send(res, p.status, 'text/html; charset=utf-8', messagePage(p.title, `${p.text} ${ASK_AGAIN}`));
      return;
    }
    const maxAge = Math.floor((r.session.expiresAt.getTime() - r.session.createdAt.getTime()) / 1000);
    const cookie = [
      `${REPORTS_COOKIE}=${encodeURIComponent(signSessionId(app.reportsSecret, r.session.id))}`,
      'Path=/reports',
      `Max-Age=${maxAge}`,
      'HttpOnly',
      'SameSite=Lax',
      ...(secure ? ['Secure'] : []),
    ].join('; ');
    // Redirect, so the token leaves the address bar and the history.
    send(res, 303, 'text/plain; charset=utf-8', 'See /reports', { location: '/reports', 'set-cookie': cookie });
  });

  server.get('/reports', async (req: restify.Request, res: restify.Response) => {
    if (!(await session(req))) return refuse(res, false);
    send(res, 200, 'text/html; charset=utf-8', await fs.promises.readFile(path.join(webRoot, 'index.html')));
  });

  server.get('/reports/api/report', async (req: restify.Request, res: restify.Response) => {
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
        seedAverages: { response: 30, resolution: 3000 },
        tables,
      }),
    );
  });

  server.get('/reports/csv/:table', async (req: restify.Request, res: restify.Response) => {
    if (!(await session(req))) return refuse(res, true);
    const { tables } = await tablesFor(req);
    const t = tables.find((x) => x.id === req.params.table);
    if (!t) return send(res, 404, 'application/json', JSON.stringify({ error: 'no such table' }));
    send(res, 200, 'text/csv; charset=utf-8', toCsv(t), {
      'content-disposition': `attachment; filename="helpline-${t.id}.csv"`,
    });
  });

  server.get('/reports/tickets/:number', async (req: restify.Request, res: restify.Response) => {
    if (!(await session(req))) return refuse(res, false);
    const number = String(req.params.number ?? '');
    const ticket = /^SR-[1-9]\d{0,9}$/.test(number) ? await app.tickets.get(number) : null;
    if (!ticket) return send(res, 404, 'text/html; charset=utf-8', messagePage('No such ticket', number.slice(0, 20)));
    send(res, 200, 'text/html; charset=utf-8', ticketPage(app, ticket, await app.events.listFor(number)));
  });

  server.get('/reports/static/:file', async (req: restify.Request, res: restify.Response) => {
    const file = String(req.params.file ?? '');
    const type = Object.hasOwn(STATIC, file) ? STATIC[file] : undefined; // not Object's own keys ("constructor")
    if (!type) return send(res, 404, 'text/plain', 'not found');
    send(res, 200, type, await fs.promises.readFile(path.join(webRoot, file)), { 'cache-control': 'no-cache' });
  });

  server.get('/reports/vendor/chart.umd.min.js', async (_req: restify.Request, res: restify.Response) => {
    const body = (await fs.promises.readFile(chartJs, 'utf8')).replace(/\/\/# sourceMappingURL=.*$/m, '');
    send(res, 200, 'application/javascript; charset=utf-8', body, { 'cache-control': 'public, max-age=3600' });
  });
}
