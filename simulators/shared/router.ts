/**
 * A tiny router: method + path pattern (`/payments/:id/refunds`) to handler.
 * It turns `BadInput` into a 4xx and anything unexpected into a 500 with the
 * message, so a simulator's bug shows up in the history rather than as a hang.
 */
import { problem } from '../../harness/core/json-response.ts';
import { BadInput } from './http.ts';

export type RouteParams = Readonly<Record<string, string>>;
export type RouteHandler = (request: Request, params: RouteParams, url: URL) => Response | Promise<Response>;

interface Route {
  method: string;
  segments: readonly string[];
  handler: RouteHandler;
}

export interface Router {
  on(method: string, pattern: string, handler: RouteHandler): Router;
  handle(request: Request): Promise<Response>;
}

export function createRouter(systemName: string): Router {
  const routes: Route[] = [];

  const match = (route: Route, parts: readonly string[]): Record<string, string> | undefined => {
    if (route.segments.length !== parts.length) return undefined;
    let params: Record<string, string> | undefined;
    for (let i = 0; i < parts.length; i++) {
      const segment = route.segments[i]!;
      const part = parts[i]!;
      if (segment.charCodeAt(0) === 58 /* ':' */) {
        params ??= {};
        params[segment.slice(1)] = decodeURIComponent(part);
      } else if (segment !== part) {
        return undefined;
      }
    }
    return params ?? {};
  };

  const router: Router = {
    on(method, pattern, handler) {
      routes.push({ method: method.toUpperCase(), segments: pattern.split('/').filter((s) => s !== ''), handler });
      return router;
    },
    async handle(request) {
      const url = new URL(request.url);
      const parts = url.pathname.split('/').filter((s) => s !== '');
      let pathMatched = false;
      for (const route of routes) {
        let params: Record<string, string> | undefined;
        try {
          params = match(route, parts);
        } catch (error) {
          // decodeURIComponent on a malformed escape such as `%E0%A4%A`: the client's mistake, not ours.
          if (error instanceof URIError)
            return problem(400, `${url.pathname} has a malformed percent-encoding; escape "%" as %25 and use whole UTF-8 sequences`);
          throw error;
        }
        if (params === undefined) continue;
        pathMatched = true;
        if (route.method !== request.method) continue;
        try {
          return await route.handler(request, params, url);
        } catch (error) {
          if (error instanceof BadInput) return problem(error.status, error.message);
          return problem(500, `${systemName} failed on ${request.method} ${url.pathname}: ${(error as Error).message}`);
        }
      }
      if (pathMatched) {
        const allowed = routes.filter((r) => match(r, parts) !== undefined).map((r) => r.method);
        return problem(405, `${request.method} is not allowed on ${url.pathname}; use ${allowed.join(' or ')}`);
      }
      const known = routes.map((r) => `${r.method} /${r.segments.join('/')}`).join(', ');
      return problem(404, `${systemName} has no ${request.method} ${url.pathname}; it serves ${known}`);
    },
  };
  return router;
}
