import type { SystemContext } from '../../harness/core/system.ts';

/** The base URL of another system, or an error that says how to wire it. */
export function requireUrl(context: SystemContext, name: string): string {
  const url = context.urls[name];
  if (url === undefined || url === '') {
    const known = Object.keys(context.urls).join(', ') || 'none';
    throw new Error(
      `${context.name}: context.urls.${name} is missing (wired: ${known}); add a ${name} system to the scenario, ` +
        `or when serving it alone pass --${name}-url or FAULTLINE_${name.toUpperCase()}_URL`,
    );
  }
  return url;
}
