/**
 * Ticket numbers the counter handed out that no ticket took, each on record in `skipped_numbers` with its
 * reason: `{ _id: seq, number, reason, recordedAt }`. A raise takes its number first and saves its ticket
 * second; when the save fails (the number already taken, the database gone mid-raise, the replica killed),
 * the number is skipped. The first case is recorded at once; the others, which cannot be recorded when they
 * happen, are found by `auditNumbers` (housekeeping): numbers handed out before its previous run that have
 * neither a ticket nor a record by now. The audit's progress is kept in `counters` (`_id: 'ticket-audit'`).
 */

import type { mongo } from 'mongoose';
import { ticketNumber } from '../domain/ticket/ticket';
import { isDuplicateKeyError } from './errors';
import type { Models } from './models';
import { collectionOf } from './models';

export const SKIPPED_REASONS = {
  taken: 'the number was already taken by an existing ticket (a counter restored from a backup?)',
  unsaved: 'the number was handed out but its ticket was never saved (the database or the replica failed mid-raise)',
} as const;

/** A raise still saving its ticket is never this long after taking its number. */
export const AUDIT_SETTLE_MS = 60_000;
const AUDIT_ID = 'ticket-audit';
const BATCH = 1000;

interface AuditDoc {
  _id: string;
  upTo: number;
  seen: number;
  seenAt: Date | null;
}

export class TicketNumbers {
  private readonly skipped;
  private readonly tickets;
  private readonly counters;

  constructor(models: Models) {
    this.skipped = collectionOf(models.SkippedNumber);
    this.tickets = collectionOf(models.Ticket);
    // The audit's own document in `counters`, beside the ticket counter.
    this.counters = collectionOf(models.Counter) as unknown as mongo.Collection<AuditDoc>;
  }

  /** Best effort: a record that cannot be written now is written by the next audit. */
  async record(seqs: number[], reason: string, at: Date): Promise<number> {
    if (seqs.length === 0) return 0;
    const docs = seqs.map((seq) => ({ _id: seq, number: ticketNumber(seq), reason, recordedAt: at }));
    try {
      const r = await this.skipped.insertMany(docs, { ordered: false });
      return r.insertedCount;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const writeErrors = (err as { writeErrors?: unknown[] }).writeErrors;
      return docs.length - (Array.isArray(writeErrors) ? writeErrors.length : 0);
    }
  }

  /**
   * Records the numbers handed out before the previous audit (at least AUDIT_SETTLE_MS before `now`) that no
   * ticket and no record has; answers how many it recorded. Safe to run in several replicas at once.
   */
  async auditNumbers(now: Date): Promise<number> {
    const counter = (await this.counters.findOne({ _id: 'ticket' })) as unknown as { seq?: number } | null;
    const current = counter?.seq ?? 0;
    const audit = (await this.counters.findOne({ _id: AUDIT_ID })) ?? { _id: AUDIT_ID, upTo: 0, seen: 0, seenAt: null };
    const due = audit.seenAt === null || now.getTime() - audit.seenAt.getTime() >= AUDIT_SETTLE_MS;
    if (!due) return 0;
    let recorded = 0;
    if (audit.seen > audit.upTo) {
      for (let from = audit.upTo + 1; from <= audit.seen; from += BATCH) {
        const seqs = Array.from({ length: Math.min(BATCH, audit.seen - from + 1) }, (_, i) => from + i);
        const used = new Set<number>();
        // index _id on both
        for (const t of await this.tickets
          .find({ _id: { $in: seqs.map(ticketNumber) } }, { projection: { seq: 1 } })
          .toArray())
          used.add(t.seq);
        for (const s of await this.skipped.find({ _id: { $in: seqs } }, { projection: { _id: 1 } }).toArray())
          used.add(s._id);
        recorded += await this.record(
          seqs.filter((s) => !used.has(s)),
          SKIPPED_REASONS.unsaved,
          now,
        );
      }
    }
    await this.counters.updateOne(
      { _id: AUDIT_ID },
      { $set: { upTo: Math.max(audit.upTo, audit.seen), seen: current, seenAt: now } },
      { upsert: true },
    );
    return recorded;
  }
}
