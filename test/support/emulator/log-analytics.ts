// Microsoft.OperationalInsights/workspaces/{w}/tables and /savedSearches: what `schema pull` reads.
//   tables         LIST (one page like the service, or pageSize.tables per page), GET, PUT of a custom
//                  `_CL` table (schema.columns; the service adds the standard columns)
//   savedSearches  LIST (one page, no nextLink, like the service), GET, PUT (category, displayName and
//                  query required; functionAlias/functionParameters make it a function)
// Standard (Microsoft) tables cannot be created through the API: tests seed them with seedTable().
import { ApiError, badRequest } from './errors.ts';
import { page, readOne, type Ctx, type Reply, type Resource, type WorkspaceState } from './store.ts';
import { isObject } from './validate.ts';

/** The api-versions of Microsoft.OperationalInsights the emulator answers (the SDK's default first). */
export const LOG_ANALYTICS_API_VERSIONS = ['2025-07-01', '2025-02-01', '2023-09-01', '2022-10-01'];

const COLUMN_TYPES = ['string', 'int', 'long', 'real', 'boolean', 'dateTime', 'guid', 'dynamic'];
const CUSTOM_STANDARD_COLUMNS = [
  { name: 'TenantId', type: 'guid' },
  { name: 'Type', type: 'string' },
  { name: '_ResourceId', type: 'string' },
];

export interface TableSeed {
  name: string;
  /** Default Analytics. */
  plan?: 'Analytics' | 'Basic' | 'Auxiliary';
  standardColumns?: { name: string; type: string }[];
  columns?: { name: string; type: string }[];
}

function laScope(ws: WorkspaceState): string {
  return ws.scope.replace(/\/providers\/Microsoft\.SecurityInsights$/, '');
}

function tableResource(ws: WorkspaceState, seed: TableSeed, now: number): Resource {
  const custom = seed.name.endsWith('_CL');
  return {
    id: `${laScope(ws)}/tables/${seed.name}`,
    name: seed.name,
    type: 'Microsoft.OperationalInsights/workspaces/tables',
    etag: '',
    properties: {
      retentionInDays: 90,
      totalRetentionInDays: 90,
      archiveRetentionInDays: 0,
      plan: seed.plan ?? 'Analytics',
      provisioningState: 'Succeeded',
      schema: {
        name: seed.name,
        tableType: custom ? 'CustomLog' : 'Microsoft',
        tableSubType: custom ? 'DataCollectionRuleBased' : 'Any',
        standardColumns: seed.standardColumns ?? (custom ? CUSTOM_STANDARD_COLUMNS : []),
        columns: seed.columns ?? [],
      },
    },
    systemData: { createdAt: new Date(now).toISOString() },
  };
}

/** Seeds a table (standard or custom) the way a connector or solution would create it. */
export function seedTable(ws: WorkspaceState, seed: TableSeed, now = Date.now()): void {
  ws.tables.set(seed.name.toLowerCase(), tableResource(ws, seed, now));
}

export function handleTables(ctx: Ctx): Reply {
  const { ws, segments } = ctx;
  const name = segments[1];
  if (name === undefined) {
    if (ctx.method !== 'GET') throw new ApiError(405, 'MethodNotAllowed', `${ctx.method} is not supported on the tables collection.`);
    const all = [...ws.tables.values()];
    // The service answers every table in one response; a page size makes the emulator page (SDK paging tests).
    return { status: 200, body: ctx.pageSize.tables ? page(all, ctx.pageSize.tables, ctx.skipToken, ctx.self) : { value: all } };
  }
  const existing = ws.tables.get(name.toLowerCase());
  if (ctx.method === 'GET') return readOne(existing, `Table '${name}'`);
  if (ctx.method !== 'PUT') throw new ApiError(405, 'MethodNotAllowed', `${ctx.method} of a table is not emulated.`);
  if (!name.endsWith('_CL')) throw badRequest(`Table name '${name}' is not valid: a custom table's name must end with _CL.`);
  const schema =
    isObject(ctx.body) && isObject(ctx.body.properties) && isObject(ctx.body.properties.schema) ? ctx.body.properties.schema : undefined;
  const columns = schema?.columns;
  if (!Array.isArray(columns) || columns.length === 0) throw badRequest('properties.schema.columns is required for a custom table.');
  for (const [i, c] of columns.entries()) {
    if (!isObject(c) || typeof c.name !== 'string' || !COLUMN_TYPES.includes(String(c.type))) {
      throw badRequest(`properties.schema.columns[${i}] needs a name and a type among ${COLUMN_TYPES.join(', ')}.`);
    }
  }
  const plan = isObject(ctx.body) && isObject(ctx.body.properties) ? ctx.body.properties.plan : undefined;
  seedTable(
    ws,
    { name, plan: plan === 'Basic' || plan === 'Auxiliary' ? plan : 'Analytics', columns: columns as { name: string; type: string }[] },
    ctx.now,
  );
  return { status: existing ? 200 : 201, body: ws.tables.get(name.toLowerCase()) };
}

export function handleSavedSearches(ctx: Ctx): Reply {
  const { ws, segments } = ctx;
  const name = segments[1];
  if (name === undefined) {
    if (ctx.method !== 'GET')
      throw new ApiError(405, 'MethodNotAllowed', `${ctx.method} is not supported on the savedSearches collection.`);
    return { status: 200, body: { value: [...ws.savedSearches.values()] } };
  }
  const existing = ws.savedSearches.get(name.toLowerCase());
  if (ctx.method === 'GET') return readOne(existing, `Saved search '${name}'`);
  if (ctx.method !== 'PUT') throw new ApiError(405, 'MethodNotAllowed', `${ctx.method} of a saved search is not emulated.`);
  const p = isObject(ctx.body) && isObject(ctx.body.properties) ? ctx.body.properties : undefined;
  for (const key of ['category', 'displayName', 'query']) {
    if (typeof p?.[key] !== 'string' || p[key] === '') throw badRequest(`properties.${key} is required.`);
  }
  const resource: Resource = {
    id: `${laScope(ws)}/savedSearches/${name}`,
    name,
    type: 'Microsoft.OperationalInsights/savedSearches',
    etag: `W/"datetime'${new Date(ctx.now).toISOString()}'"`,
    properties: { version: 2, ...p },
    systemData: { createdAt: new Date(ctx.now).toISOString() },
  };
  ws.savedSearches.set(name.toLowerCase(), resource);
  return { status: existing ? 200 : 201, body: resource };
}
