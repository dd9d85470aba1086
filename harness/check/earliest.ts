/**
 * The harness sets Odoo up in the run's first virtual milliseconds, through
 * the same network; a system fault that early would break the setup, not the
 * middleware. Generated and shrunk system faults start after it.
 */
export const SYSTEM_FAULT_EARLIEST_MS = 1000;
