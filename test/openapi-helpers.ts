/**
 * Reading the served OpenAPI document in tests: its operations, which fields accept null, and a minimal valid value for
 * a schema. Used by the nullable sweep, the fuzz suite and the role × tenant matrix, so a new route is covered by them
 * as soon as it is documented (and test/api-docs.test.ts makes sure every route is).
 */
import { randomUUID } from 'node:crypto';
import type { TestEnv } from './helpers.js';

export type Schema = Record<string, any>;
export interface Operation {
  method: string;
  /** OpenAPI path, e.g. /api/v1/conversations/{id} */
  path: string;
  /** Fastify route, e.g. /api/v1/conversations/:id */
  route: string;
  op: Schema;
  params: Schema[];
  query: Schema[];
  body: Schema | null;
  /** false when the operation is documented as answering without signing in (security: []). */
  auth: boolean;
}

export async function openapi(env: TestEnv): Promise<Schema> {
  const r = await env.req('GET', '/api/docs/json', { token: '' });
  if (r.status !== 200) throw new Error(`openapi document: ${r.status}`);
  return r.json;
}

export function operations(doc: Schema): Operation[] {
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries<Schema>(doc.paths))
    for (const [method, op] of Object.entries<Schema>(ops)) {
      const prms: Schema[] = op.parameters ?? [];
      out.push({
        method: method.toUpperCase(),
        path,
        route: path.replace(/\{(\w+)\}/g, ':$1'),
        op,
        params: prms.filter((p) => p.in === 'path'),
        query: prms.filter((p) => p.in === 'query'),
        body: op.requestBody?.content?.['application/json']?.schema ?? null,
        auth: !(Array.isArray(op.security) && op.security.length === 0),
      });
    }
  return out;
}

/** Whether a schema accepts null. */
export function acceptsNull(s: Schema | undefined): boolean {
  if (!s || typeof s !== 'object') return false;
  if (s.type === 'null' || (Array.isArray(s.type) && s.type.includes('null'))) return true;
  if (s.nullable === true) return true;
  return [...(s.anyOf ?? []), ...(s.oneOf ?? [])].some(acceptsNull);
}

/** Every property path (e.g. ["questions","en"]) in a body schema whose schema accepts null. */
export function nullablePaths(s: Schema | null, prefix: string[] = []): string[][] {
  if (!s || typeof s !== 'object') return [];
  const out: string[][] = [];
  for (const [k, v] of Object.entries<Schema>(s.properties ?? {})) {
    if (acceptsNull(v)) out.push([...prefix, k]);
    out.push(...nullablePaths(v, [...prefix, k]));
  }
  for (const v of s.anyOf ?? []) if (v.type !== 'null') out.push(...nullablePaths(v, prefix));
  return out;
}

/** The first variant of a schema that is not null (for anyOf/oneOf and type arrays). */
export function nonNull(s: Schema): Schema {
  const variants: Schema[] = s.anyOf ?? s.oneOf;
  if (variants) {
    const v = variants.find((x) => x.type !== 'null') ?? variants[0];
    return nonNull({ ...v });
  }
  if (Array.isArray(s.type)) return { ...s, type: s.type.find((t: string) => t !== 'null') ?? 'null' };
  return s;
}

/** A minimal value the schema accepts: required properties only, the smallest length and number allowed. */
export function minimal(schema: Schema, ids: (format: string, name: string) => string = () => randomUUID(), name = ''): unknown {
  const s = nonNull(schema);
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  if ('default' in s && s.type !== 'object') return s.default;
  switch (s.type) {
    case 'string': {
      if (s.format === 'uuid') return ids('uuid', name);
      if (s.format === 'email') return 'fuzz@example.test';
      if (s.format === 'date-time') return new Date(Date.UTC(2026, 0, 5, 12)).toISOString();
      if (s.format === 'date') return '2026-01-05';
      if (s.format === 'uri') return 'https://example.test/';
      const n = Math.max(s.minLength ?? 1, 1);
      return 'x'.repeat(Math.min(n, s.maxLength ?? n));
    }
    case 'integer':
    case 'number': {
      const lo = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1);
      return s.maximum !== undefined ? Math.min(lo, s.maximum) : lo;
    }
    case 'boolean':
      return false;
    case 'null':
      return null;
    case 'array':
      return Array.from({ length: s.minItems ?? 0 }, () => minimal(s.items ?? {}, ids, name));
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const k of s.required ?? []) o[k] = minimal(s.properties?.[k] ?? {}, ids, k);
      return o;
    }
    default:
      return {};
  }
}

/** Sets obj[path] = value, creating the minimal parents from the schema. */
export function setAt(obj: any, schema: Schema, path: string[], value: unknown, ids?: (format: string, name: string) => string) {
  let o = obj;
  let s = nonNull(schema);
  for (const [i, k] of path.entries()) {
    if (i === path.length - 1) o[k] = value;
    else {
      s = nonNull(s.properties?.[k] ?? {});
      if (!o[k] || typeof o[k] !== 'object') o[k] = minimal(s, ids, k);
      o = o[k];
    }
  }
  return obj;
}

export const get = (obj: any, path: string[]) => path.reduce((o, k) => (o == null ? undefined : o[k]), obj);
