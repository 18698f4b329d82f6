import cron, { type ScheduledTask } from 'node-cron';
import type { JobReport } from '../app/scheduled-jobs';
import type { CalendarSpec } from '../config/policy.schema';
import type { Logger } from '../logger';

/** A named job: what it does and when (cron, in the policy's time zone). */
export interface JobDefinition {
  name: string;
  schedule: string;
  run: () => Promise<JobReport>;
  /** Included in "run the due jobs now" (the test clock); the digest runs only when asked by name. */
  onDemand: boolean;
}

export interface Scheduler {
  jobs: readonly JobDefinition[];
  start(): void;
  stop(): Promise<void>;
  /** Run jobs now (all on-demand jobs, or the named ones); the wrapper times each and isolates failures. */
  runNow(names?: string[]): Promise<Array<JobReport & { ms: number; error?: string }>>;
}

const DAYS = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } as const;

/** Cron expressions firing at each distinct opening time of the business week ("45 8 * * 1-5"). */
export function openingCrons(calendar: Pick<CalendarSpec, 'hours'>): string[] {
  const byTime = new Map<string, number[]>();
  for (const [day, range] of Object.entries(calendar.hours)) {
    if (!range) continue;
    const open = range.split('-')[0] as string;
    byTime.set(open, [...(byTime.get(open) ?? []), DAYS[day as keyof typeof DAYS]]);
  }
  return [...byTime].map(([time, days]) => {
    const [h, m] = time.split(':').map(Number);
    return `${m} ${h} * * ${days.sort().join(',')}`;
  });
}

/** The registry: each job under node-cron (no overlap), timed and logged, one failure never stopping another. */
export function createScheduler(
  jobs: JobDefinition[],
  opts: { timeZone: string; log: Logger; track?: <T>(work: Promise<T>) => Promise<T> },
): Scheduler {
  const track = opts.track ?? (<T>(work: Promise<T>) => work);
  const tasks: ScheduledTask[] = [];
  const timed = async (job: JobDefinition) => {
    const started = Date.now();
    try {
      const report = await job.run();
      const ms = Date.now() - started;
      if (report.processed || report.failed) opts.log.info({ ...report, ms }, 'job ran');
      return { ...report, ms };
    } catch (err) {
      const ms = Date.now() - started;
      opts.log.error({ job: job.name, err: (err as Error).message, ms }, 'job failed');
      return { job: job.name, processed: 0, skipped: 0, failed: 1, ms, error: (err as Error).message };
    }
  };
  return {
    jobs,
    start() {
      for (const job of jobs) {
        tasks.push(
          cron.schedule(job.schedule, () => track(timed(job)), {
            name: job.name,
            timezone: opts.timeZone,
            noOverlap: true,
          }),
        );
      }
    },
    async stop() {
      for (const t of tasks.splice(0)) await t.destroy();
    },
    async runNow(names) {
      const chosen = names?.length ? jobs.filter((j) => names.includes(j.name)) : jobs.filter((j) => j.onDemand);
      const out = [];
      for (const job of chosen) out.push(await track(timed(job)));
      return out;
    },
  };
}
