import type { GroupLabel } from '../../../orm/access.ts';
import { GROUPS } from './groups.ts';

/** Groups as access errors name them: `Category/Name` (group_names_with_access), or the bare name. */
export const GROUP_LABELS: readonly GroupLabel[] = GROUPS.map((group) => ({
  xmlid: group.xmlid,
  name: group.name,
  category: group.category,
  label: group.category === false ? group.name : `${group.category}/${group.name}`,
}));

export { ADMIN_GROUPS, DEFAULT_USER_GROUPS, GROUPS } from './groups.ts';
export { MODEL_ACCESS } from './model_access.ts';
export { RECORD_RULES } from './record_rules.ts';
