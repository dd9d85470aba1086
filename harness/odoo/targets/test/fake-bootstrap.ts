import type { OdooClient } from '../../client.ts';
import { CATALOGUE } from '../../../world/catalogue.ts';
import { INTEGRATION_USER } from '../../../contracts/identities.ts';

/** Stands in for bootstrapOdoo in tests: creates the catalogue's products and the integration user when missing. */
export async function fakeBootstrap(client: OdooClient): Promise<{ created: number }> {
  let created = 0;
  for (const product of CATALOGUE) {
    const found = await client.searchRead('product.product', [['default_code', '=', product.sku]], { fields: ['id'], context: { active_test: false } });
    if (found.length === 0) {
      await client.create('product.product', { default_code: product.sku, name: product.name });
      created += 1;
    }
  }
  if ((await client.searchRead('res.users', [['login', '=', INTEGRATION_USER.login]], { fields: ['id'] })).length === 0) {
    await client.create('res.users', { login: INTEGRATION_USER.login, password: INTEGRATION_USER.password, name: INTEGRATION_USER.name });
    created += 1;
  }
  return { created };
}
