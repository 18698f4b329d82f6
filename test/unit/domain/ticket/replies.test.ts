import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { loadPolicy } from '../../../../src/config/policy';
import { policySchema, type Role } from '../../../../src/config/policy.schema';
import { TransitionNotAllowedError } from '../../../../src/domain/errors';
import { createBusinessCalendar } from '../../../../src/domain/sla/business-calendar';
import * as op from '../../../../src/domain/ticket/operations';
import { cannedReplies, fillReply, findReply, repliesFor, sendReply } from '../../../../src/domain/ticket/replies';
import { createDirectory } from '../../../../src/domain/ticket/roles';
import type { Actor, Ticket } from '../../../../src/domain/ticket/ticket';

const policy = loadPolicy();
const calendar = createBusinessCalendar(policy.calendar);
const directory = createDirectory(policy);
const RITA: Actor = { platform: 'slack', userId: 'U0REQUESTER', name: 'Rita Reyes' };
const LEE: Actor = { platform: 'slack', userId: 'U0LEVEL1', name: 'Lee Lewis' };
const MON = new Date('2026-03-02T10:00:00Z');

function as(actor: Actor): op.OpContext {
  const roles = directory.rolesOf(actor);
  const role: Role = roles.find((r) => r !== 'requester') ?? 'requester';
  return { policy, clocks: { calendar, warnAt: policy.sla.warnAt }, now: MON, actor: { ...actor, role, roles } };
}
const saved = (r: op.OpResult): Ticket => ({ ...r.ticket, version: r.ticket.version + 1 });
const raised = (client = 'ACME Manufacturing'): Ticket =>
  saved(op.raise({ seq: 7, title: 'SOC 2 report', description: 'For our audit', requester: RITA, client }, as(RITA)));
const AGENTS: Role[] = ['level1', 'level2', 'admin', 'development', 'manager'];

describe('canned replies', () => {
  it('the policy replies come first, then one per Not Supported item with its answer', () => {
    const all = cannedReplies(policy);
    expect(all[0]).toMatchObject({ id: 'soc2-report', status: 'on_customer_test' });
    expect(findReply(policy, 'ns:custom-queries')).toMatchObject({
      label: 'Not Supported: Writing custom queries',
      text: policy.coverage.notSupported['custom-queries']!.reply,
      status: 'quote_required',
    });
    expect(findReply(policy, 'ns:import-export-schedules').status).toBeUndefined();
    expect(() => findReply(policy, 'nope')).toThrow(/Choose a reply/);
  });

  it('fills the placeholders from the ticket and the agent; anything else stays as written', () => {
    const t = raised();
    expect(fillReply('{requester} {ticket} {client} {agent} {other}', t, 'Lee Lewis')).toBe(
      `Rita Reyes ${t.number} ACME Manufacturing Lee Lewis {other}`,
    );
    expect(fillReply('for {client}', raised(''), 'Lee')).toBe('for your organisation');
  });

  it('offers only replies whose move the transitions allow from where the ticket is', () => {
    const ids = (s: Ticket['status']) => repliesFor(policy, { status: s }, AGENTS).map((r) => r.id);
    expect(ids('new')).toContain('soc2-report');
    expect(ids('new')).not.toContain('ns:custom-queries'); // New → Quote Required is not a move
    expect(ids('triage')).toContain('ns:custom-queries');
    expect(ids('on_customer_test')).not.toContain('soc2-report');
    expect(ids('closed')).toEqual([]);
  });

  it('sends the message, records the reply and moves the ticket in one change; a refused move sends nothing', () => {
    const t = raised();
    const reply = findReply(policy, 'soc2-report');
    const r = sendReply(t, reply, 'Here it is', as(LEE));
    expect(r.ticket.status).toBe('on_customer_test');
    expect(r.ticket.conversation.at(-1)).toMatchObject({ text: 'Here it is', fromAgent: true });
    expect(r.events.map((e) => e.type)).toEqual(expect.arrayContaining(['reply', 'message', 'status', 'resolved']));
    const keys = r.notices.map((n) => n.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(r.notices.map((n) => n.type)).toEqual(expect.arrayContaining(['requester.update', 'requester.is_it_fixed']));
    expect(() => sendReply(saved(r), reply, 'Again', as(LEE))).toThrow(TransitionNotAllowedError);
    expect(() => sendReply(t, reply, 'As the requester', as(RITA))).toThrow(/Only/);
  });

  it('a reply to Waiting for Customer asks its text as the question', () => {
    const r = sendReply(raised(), findReply(policy, 'need-details'), 'Which invoice?', as(LEE));
    expect(r.ticket).toMatchObject({ status: 'waiting_for_customer', pendingQuestion: 'Which invoice?' });
  });

  it('the schema refuses an unknown placeholder and a status that needs a control of its own', () => {
    const bad = (replies: unknown) => policySchema.safeParse({ ...loadPolicyInput(), replies });
    expect(bad({ x: { label: 'X', text: 'Hi {name}' } }).error?.issues[0]?.message).toMatch(/unknown placeholder/);
    expect(bad({ x: { label: 'X', text: 'Hi', status: 'closed' } }).success).toBe(false);
    expect(bad({ x: { label: 'X', text: 'Hi {requester}', status: 'triage' } }).success).toBe(true);
  });
});

/** The default policy file as parsed YAML (before the schema). */
const loadPolicyInput = (): Record<string, unknown> =>
  YAML.parse(fs.readFileSync(path.join(__dirname, '../../../../policy/default.yaml'), 'utf8'));
