import { createBusinessCalendar } from '../../../../src/domain/sla/business-calendar';
import { hoursState, supportHoursLine, weeklyHours, zoneWords } from '../../../../src/domain/sla/support-hours';

/** The seed's calendar: 08:45–17:15 Monday to Friday, Europe/London, with the Christmas bank holidays. */
const LONDON = createBusinessCalendar({
  timeZone: 'Europe/London',
  hours: { mon: '08:45-17:15', tue: '08:45-17:15', wed: '08:45-17:15', thu: '08:45-17:15', fri: '08:45-17:15' },
  holidays: ['2026-12-25', '2026-12-28'],
});
const at = (iso: string) => new Date(iso);

describe('support hours in words', () => {
  it('says the weekly hours with the time zone as people say it', () => {
    expect(weeklyHours(LONDON.spec)).toBe('08:45–17:15, Monday to Friday (UK time)');
    expect(zoneWords('America/New_York')).toBe('New York time');
    expect(zoneWords('Etc/UTC')).toBe('UTC');
    expect(
      weeklyHours({
        timeZone: 'Europe/Berlin',
        hours: { mon: '09:00-17:00', wed: '09:00-17:00', thu: '09:00-17:00', sat: '10:00-14:00' },
        holidays: [],
      }),
    ).toBe('09:00–17:00, Monday, Wednesday and Thursday; 10:00–14:00, Saturday (Berlin time)');
    expect(
      weeklyHours({
        timeZone: 'Europe/London',
        hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, '00:00-24:00'])),
        holidays: [],
      }),
    ).toBe('all day, every day (UK time)');
  });

  it('in hours: open now until the closing time (BST in summer)', () => {
    expect(supportHoursLine(LONDON, at('2026-03-04T10:00:00Z'))).toBe(
      'Support hours: 08:45–17:15, Monday to Friday (UK time) — open now until 17:15',
    );
    expect(hoursState(LONDON, at('2026-07-01T07:45:00Z'))).toBe('open now until 17:15'); // 08:45 BST: opening
  });

  it('before opening: opens today', () => {
    expect(hoursState(LONDON, at('2026-03-04T07:00:00Z'))).toBe('closed now — opens today 08:45');
  });

  it('after closing: opens tomorrow; the closing instant itself is closed', () => {
    expect(hoursState(LONDON, at('2026-03-04T17:15:00Z'))).toBe('closed now — opens tomorrow 08:45');
    expect(hoursState(LONDON, at('2026-03-04T22:30:00Z'))).toBe('closed now — opens tomorrow 08:45');
  });

  it('Friday evening and the weekend: opens Monday', () => {
    expect(supportHoursLine(LONDON, at('2026-03-06T18:00:00Z'))).toBe(
      'Support hours: 08:45–17:15, Monday to Friday (UK time) — closed now — opens Monday 08:45',
    );
    expect(hoursState(LONDON, at('2026-03-08T12:00:00Z'))).toBe('closed now — opens tomorrow 08:45');
  });

  it('a holiday: closed today (holiday), and the next opening skips the holidays after it', () => {
    // Friday 25 December 2026 and Monday 28 December are bank holidays: open again Tuesday 29th.
    expect(hoursState(LONDON, at('2026-12-25T10:00:00Z'))).toBe('closed today (holiday) — opens Tuesday 08:45');
    expect(hoursState(LONDON, at('2026-12-24T18:00:00Z'))).toBe('closed now — opens Tuesday 08:45');
  });

  it('names the date when the next opening is a week or more away', () => {
    const summerShutdown = createBusinessCalendar({
      timeZone: 'Europe/London',
      hours: { mon: '08:45-17:15' },
      holidays: ['2026-03-09'],
    });
    expect(hoursState(summerShutdown, at('2026-03-02T18:00:00Z'))).toBe('closed now — opens Monday 16 March 08:45');
  });

  it('hours that run past midnight say midnight or the day they close', () => {
    const late = createBusinessCalendar({
      timeZone: 'Europe/London',
      hours: { mon: '18:00-24:00', tue: '00:00-24:00', wed: '00:00-02:00' },
      holidays: [],
    });
    expect(hoursState(late, at('2026-03-02T19:00:00Z'))).toBe('open now until Wednesday 02:00');
    const evenings = createBusinessCalendar({ timeZone: 'Europe/London', hours: { mon: '18:00-24:00' }, holidays: [] });
    expect(hoursState(evenings, at('2026-03-02T19:00:00Z'))).toBe('open now until midnight');
  });

  it('a calendar without hours says so', () => {
    const none = createBusinessCalendar({ timeZone: 'Europe/London', hours: {}, holidays: [] });
    expect(supportHoursLine(none, at('2026-03-04T10:00:00Z'))).toBe('Support hours: none are set.');
  });
});

describe('BusinessCalendar.openSpanAt and nextOpening', () => {
  it('the span in hours, null outside; the next opening at or after an instant', () => {
    expect(LONDON.openSpanAt(at('2026-03-04T10:00:00Z'))).toEqual({
      opens: at('2026-03-04T08:45:00Z'),
      closes: at('2026-03-04T17:15:00Z'),
    });
    expect(LONDON.openSpanAt(at('2026-03-04T17:15:00Z'))).toBeNull();
    expect(LONDON.nextOpening(at('2026-03-04T08:45:00Z'))).toEqual(at('2026-03-04T08:45:00Z'));
    expect(LONDON.nextOpening(at('2026-03-04T10:00:00Z'))).toEqual(at('2026-03-05T08:45:00Z'));
    expect(LONDON.nextOpening(at('2026-03-06T18:00:00Z'))).toEqual(at('2026-03-09T08:45:00Z'));
  });

  it('days that join make one span; a joined day start is no opening', () => {
    const allWeek = createBusinessCalendar({
      timeZone: 'Europe/London',
      hours: { mon: '00:00-24:00', tue: '00:00-24:00', wed: '00:00-24:00' },
      holidays: [],
    });
    expect(allWeek.openSpanAt(at('2026-03-03T12:00:00Z'))).toEqual({
      opens: at('2026-03-02T00:00:00Z'),
      closes: at('2026-03-05T00:00:00Z'),
    });
    expect(allWeek.nextOpening(at('2026-03-02T12:00:00Z'))).toEqual(at('2026-03-09T00:00:00Z'));
    expect(
      createBusinessCalendar({ timeZone: 'Europe/London', hours: {}, holidays: [] }).nextOpening(
        at('2026-03-02T12:00:00Z'),
      ),
    ).toBeNull();
  });
});
