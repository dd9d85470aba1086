/**
 * The names every participant of a run agrees on, defined once: the Odoo
 * database Faultline creates for a run, and the integration user the
 * middleware logs in as. The invariants judge who wrote what by this login,
 * so a second spelling of it anywhere would silently change a verdict.
 */

export const FAULTLINE_ODOO_DB = 'faultline';

/**
 * Odoo 17 refuses to post chatter as a user without an email ("Unable to send
 * message, please configure the sender's email address."), and registering a
 * payment posts to the invoice's chatter: the integration user has one.
 */
export const INTEGRATION_USER = {
  login: 'faultline-middleware',
  password: 'faultline',
  name: 'Faultline middleware',
  email: 'faultline-middleware@example.com',
} as const;
