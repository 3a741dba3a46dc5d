import type { Method, RouteDef } from './types.js';

interface Node {
  literal: Map<string, Node>;
  param?: { name: string; node: Node };
  routes: Map<Method, RouteDef>;
}

export type RouteMatch =
  | { kind: 'found'; route: RouteDef; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: Method[] }
  | { kind: 'not-found' };

const newNode = (): Node => ({ literal: new Map(), routes: new Map() });

/**
 * Segment trie over `{param}` templates. Literal segments win over parameters, so `/v2/stocks/bars/latest`
 * never matches `/v2/stocks/{symbol}/bars`. Parameters are URL-decoded; a bad escape is a not-found.
 */
export class Router {
  private readonly root = newNode();
  private readonly all: RouteDef[] = [];

  constructor(routes: Iterable<RouteDef> = []) {
    for (const r of routes) this.add(r);
  }

  add(route: RouteDef): void {
    let node = this.root;
    for (const seg of route.template.split('/').slice(1)) {
      const m = /^\{(\w+)\}$/.exec(seg);
      if (m) {
        if (node.param && node.param.name !== m[1])
          throw new Error(`conflicting parameter names at ${route.template}: {${node.param.name}} vs {${m[1]}}`);
        node.param ??= { name: m[1]!, node: newNode() };
        node = node.param.node;
      } else {
        let next = node.literal.get(seg);
        if (!next) {
          next = newNode();
          node.literal.set(seg, next);
        }
        node = next;
      }
    }
    if (node.routes.has(route.method)) throw new Error(`duplicate route ${route.method} ${route.template}`);
    node.routes.set(route.method, route);
    this.all.push(route);
  }

  routes(): readonly RouteDef[] {
    return this.all;
  }

  match(method: string, path: string): RouteMatch {
    const segs = path.split('/').slice(1);
    const params: Record<string, string> = {};
    const node = this.walk(this.root, segs, 0, params);
    if (!node || node.routes.size === 0) return { kind: 'not-found' };
    const route = node.routes.get(method as Method);
    if (!route) return { kind: 'method-not-allowed', allowed: [...node.routes.keys()] };
    return { kind: 'found', route, params };
  }

  private walk(node: Node, segs: string[], i: number, params: Record<string, string>): Node | undefined {
    if (i === segs.length) return node;
    const seg = segs[i]!;
    const lit = node.literal.get(seg);
    if (lit) {
      const found = this.walk(lit, segs, i + 1, params);
      if (found && found.routes.size > 0) return found;
    }
    if (node.param && seg !== '') {
      let value: string;
      try {
        value = decodeURIComponent(seg);
      } catch {
        return undefined;
      }
      const found = this.walk(node.param.node, segs, i + 1, params);
      if (found && found.routes.size > 0) {
        params[node.param.name] = value;
        return found;
      }
    }
    return undefined;
  }
}
