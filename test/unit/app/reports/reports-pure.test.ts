import { sessionIdOf, signLinkToken, signSessionId, verifyLinkToken } from '../../../../src/app/reports/link-token';
import { businessMinutesBefore, MAX_WEEKS, weeksCovering } from '../../../../src/app/reports/periods';
import { type ReportTable, toCsv } from '../../../../src/app/reports/tables';
import { loadPolicy } from '../../../../src/config/policy';
import { ErrorCode } from '../../../../src/domain/errors';
import { createBusinessCalendar } from '../../../../src/domain/sla/business-calendar';

const SECRET = 'x'.repeat(40);
const NOW = new Date('2026-03-09T14:00:00Z');
const claims = { personId: 'mike.fox', platform: 'slack' as const, userId: 'U0TEAMLEAD' };

describe('report link tokens', () => {
  it('verifies its own token until 15 minutes have passed', () => {
    const token = signLinkToken(SECRET, claims, NOW);
    expect(verifyLinkToken(SECRET, token, new Date(NOW.getTime() + 14 * 60_000))).toMatchObject({
      ok: true,
      claims: { ...claims, exp: NOW.getTime() + 15 * 60_000 },
    });
    expect(verifyLinkToken(SECRET, token, new Date(NOW.getTime() + 15 * 60_000))).toEqual({
      ok: false,
      problem: 'expired',
    });
  });

  it('refuses a changed payload, another secret and garbage', () => {
    const token = signLinkToken(SECRET, claims, NOW);
    const [payload, sig] = token.split('.') as [string, string];
    const other = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), personId: 'james.lawson' }),
    ).toString('base64url');
    expect(verifyLinkToken(SECRET, `${other}.${sig}`, NOW)).toEqual({ ok: false, problem: 'tampered' });
    expect(verifyLinkToken('y'.repeat(40), token, NOW)).toEqual({ ok: false, problem: 'tampered' });
    for (const bad of ['', 'abc', 'a.b.c', `${payload}.`]) expect(verifyLinkToken(SECRET, bad, NOW).ok).toBe(false);
  });

  it('session cookies carry an HMAC: a made-up id is refused before any look-up', () => {
    const id = 'ab'.repeat(16);
    expect(sessionIdOf(SECRET, signSessionId(SECRET, id))).toBe(id);
    expect(sessionIdOf(SECRET, `${'cd'.repeat(16)}.${signSessionId(SECRET, id).split('.')[1]}`)).toBeNull();
    expect(sessionIdOf(SECRET, id)).toBeNull();
  });
});

describe('report periods and CSV', () => {
  const policy = loadPolicy();
  const calendar = createBusinessCalendar(policy.calendar);

  it('weeks are local Mondays covering the range; the default is the four weeks ending with now', () => {
    expect(weeksCovering(NOW, 'Europe/London').map((w) => w.id)).toEqual([
      '2026-02-16',
      '2026-02-23',
      '2026-03-02',
      '2026-03-09',
    ]);
    // across the clock change (29 March): the week starts at local midnight
    const [w] = weeksCovering(NOW, 'Europe/London', '2026-03-31', '2026-03-31');
    expect(w?.from.toISOString()).toBe('2026-03-29T23:00:00.000Z');
    expect(weeksCovering(NOW, 'Europe/London', '2026-03-09', '2026-03-02').map((x) => x.id)).toEqual([
      '2026-03-02',
      '2026-03-09',
    ]);
  });

  it('counts the weeks from the two dates: 26 pass (across a clock change), 27 or a malformed date are refused', () => {
    const tz = 'Europe/London';
    // Monday 5 January to Sunday 5 July 2026: exactly 26 weeks, across 29 March
    const weeks = weeksCovering(NOW, tz, '2026-01-05', '2026-07-05');
    expect(weeks).toHaveLength(MAX_WEEKS);
    expect(weeks.at(-1)?.id).toBe('2026-06-29');
    expect(weeks.every((w, i) => i === 0 || w.from.getTime() === weeks[i - 1]?.to.getTime())).toBe(true);
    expect(() => weeksCovering(NOW, tz, '2026-01-05', '2026-07-06')).toThrow(
      expect.objectContaining({ code: ErrorCode.Invalid, message: expect.stringMatching(/at most 26 weeks; .* 27/) }),
    );
    // The whole calendar is refused by arithmetic, not by walking 520,000 weeks.
    expect(() => weeksCovering(NOW, tz, '0001-01-01', '9999-12-31')).toThrow(/at most 26 weeks/);
    expect(() => weeksCovering(NOW, tz, '1626-03-09')).toThrow(/at most 26 weeks/);
    for (const bad of ['2026-02-30', '2026-3-1', 'yesterday', '2026-03-02T00:00', ' 2026-03-02'])
      expect(() => weeksCovering(NOW, tz, bad, '2026-03-09')).toThrow(/YYYY-MM-DD/);
    // Absent or empty (a cleared form field) is the default, not an error.
    expect(weeksCovering(NOW, tz, '', '')).toHaveLength(4);
    expect(weeksCovering(NOW, tz, null, '2026-03-09').map((w) => w.id)).toEqual([
      '2026-02-16',
      '2026-02-23',
      '2026-03-02',
      '2026-03-09',
    ]);
  });

  it('finds the instant N business minutes back (Monday 09:00 minus 60 = 15 on Monday + 45 on Friday: 16:30)', () => {
    const at = businessMinutesBefore(calendar, new Date('2026-03-09T09:00:00Z'), 60);
    expect(Math.abs(at.getTime() - new Date('2026-03-06T16:30:00Z').getTime())).toBeLessThanOrEqual(1000);
  });

  it('writes RFC 4180 CSV and defuses spreadsheet formulas', () => {
    const t: ReportTable = {
      id: 't',
      title: 'T',
      columns: ['Ticket', 'Comment', 'Score'],
      rows: [
        ['SR-1', 'said "no", then left', 2],
        ['SR-2', '=HYPERLINK("x")', null],
      ],
    };
    expect(toCsv(t)).toBe('Ticket,Comment,Score\r\nSR-1,"said ""no"", then left",2\r\nSR-2,"\'=HYPERLINK(""x"")",\r\n');
  });
});
