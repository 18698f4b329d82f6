import type { ClientsPolicy } from '../../../src/config/clients.schema';
import { loadPolicy } from '../../../src/config/policy';
import type { Policy } from '../../../src/config/policy.schema';
import type { FakeHubspotApi } from '../../fakes/hubspot-api';
import { slackPolicy } from '../../fixtures/slack/kit';

/** Requesters whose policy emails are at ACME's and Northwind's domains (Northwind: Premium tier in the default policy). */
export const wile = { id: 'U0ACMEUSER', name: 'Wile Coyote' };
export const gus = { id: 'U0NWUSER', name: 'Gus Fring' };
/** A requester at Brightwell's domain (Brightwell: Bronze, and an incomplete record in HubSpot). */
export const bea = { id: 'U0BWUSER', name: 'Bea Byrne' };

/** The Slack test policy with those requesters in `people`: their tickets are ACME's, Northwind's and Brightwell's. */
export function policyWithClientRequesters(): Policy {
  const p = slackPolicy();
  return {
    ...p,
    people: {
      ...p.people,
      'wile.coyote': { name: wile.name, email: 'wile@acme.example', accounts: { slack: wile.id } },
      'gus.fring': { name: gus.name, email: 'gus@northwind.example', accounts: { slack: gus.id } },
      'bea.byrne': { name: bea.name, email: 'bea@brightwell.example', accounts: { slack: bea.id } },
    },
  };
}

/** The default policy's clients (ACME, Northwind, Brightwell), as the YAML directory has them. */
export function yamlClients(): ClientsPolicy {
  return loadPolicy().clients;
}

/** The same three clients as HubSpot companies with associated contacts (ERP and customisations in properties). */
export function seedHubspot(fake: FakeHubspotApi): void {
  fake.addCompany(
    {
      id: '1001',
      properties: {
        name: 'ACME Manufacturing',
        domain: 'acme.example',
        erp_system: 'NetSuite OneWorld',
        customisation_summary: "Two-step invoice approval above 10,000 USD; custom GL segment 'Plant'.",
        support_tier: 'Gold',
        time_zone: 'America/Chicago',
      },
      contactIds: ['501', '502'],
    },
    [
      {
        id: '501',
        properties: {
          firstname: 'Dana',
          lastname: 'Whitfield',
          email: 'dana.whitfield@acme.example',
          phone: '+1 312 555 0142',
          jobtitle: 'Finance systems admin',
        },
        primaryCompanyId: '1001',
      },
      {
        id: '502',
        properties: {
          firstname: 'Omar',
          lastname: 'Haddad',
          email: 'omar.haddad@acme.example',
          jobtitle: 'AP manager',
        },
      },
    ],
  );
  fake.addCompany(
    {
      id: '1002',
      properties: {
        name: 'Northwind Traders',
        domain: 'northwind.example',
        erp_system: 'Microsoft Dynamics 365 Business Central',
        customisation_summary: 'Supplier invoices imported by OCR from a shared mailbox.',
        support_tier: 'Silver',
        time_zone: 'Europe/London',
      },
      contactIds: ['503'],
    },
    [
      {
        id: '503',
        properties: {
          firstname: 'Grace',
          lastname: 'Liu',
          email: 'grace.liu@northwind.example',
          jobtitle: 'Finance director',
        },
        primaryCompanyId: '1002',
      },
    ],
  );
  fake.addCompany({
    id: '1003',
    properties: {
      name: 'Brightwell Foods Ltd',
      domain: 'brightwell.example',
      support_tier: 'Bronze',
      time_zone: 'Europe/Dublin',
    },
    contactIds: [],
  });
}
