import { describe, expect, it } from 'vitest';
import type { OdooReader } from './odoo-snapshot.ts';
import { readPartnerSnapshot } from './partner-snapshot.ts';

function recordingReader(): { reader: OdooReader; asked: Array<{ model: string; domain: unknown }> } {
  const asked: Array<{ model: string; domain: unknown }> = [];
  return {
    asked,
    reader: {
      async searchRead(model, domain) {
        asked.push({ model, domain });
        return [];
      },
    },
  };
}

describe("Odoo's partners as the invariants read them", () => {
  it("reads only the run's customers when given their emails, leaving an Odoo's other partners alone", async () => {
    const { reader, asked } = recordingReader();
    const snapshot = await readPartnerSnapshot(reader, { postedInvoices: false, emails: ['ada@example.org', 'grace@example.org'] });
    expect(asked).toEqual([{ model: 'res.partner', domain: [['email', 'in', ['ada@example.org', 'grace@example.org']]] }]);
    expect(snapshot).toEqual({ partners: [] });
  });

  it('reads every partner with an email, and who posted invoices bill, for the CRM', async () => {
    const { reader, asked } = recordingReader();
    const snapshot = await readPartnerSnapshot(reader, { postedInvoices: true });
    expect(asked.map((a) => a.model)).toEqual(['res.partner', 'account.move']);
    expect(asked[0]!.domain).toEqual([['email', '!=', false]]);
    expect(snapshot).toEqual({ partners: [], postedInvoices: [] });
  });
});
