import { baseModule } from './models/base/index.ts';
import { businessModule } from './models/business/index.ts';
import type { OdooModule } from './orm/module.ts';

/** What the emulator installs by default: a fresh Odoo 17 with sale_management, stock and account. */
export const DEFAULT_MODULES: readonly OdooModule[] = [baseModule, businessModule];

/** Only the platform (partners, products, users, master data): for tests that need no business flows. */
export const PLATFORM_MODULES: readonly OdooModule[] = [baseModule];
