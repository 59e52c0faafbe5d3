// Microsoft.SecurityInsights/metadata: the ownership mark (source kind "SourceRepository").
// PUT 201/200, GET, LIST (paged), DELETE 200/204; required properties per the 2025-09-01 spec.
import { ApiError, badRequest, checkEtag } from './errors.ts';
import { envelope, page, type Ctx, type Reply, type Resource, deleteOne, readOne } from './store.ts';
import { isObject, object, oneOf, serverManaged, str, strings, validate, writable, type Schema } from './validate.ts';

const TYPE = 'Microsoft.SecurityInsights/metadata';
const date: Schema = { type: 'string', pattern: /^\d{4}-\d{2}-\d{2}/, patternHint: 'expected a date such as 2026-01-31' };
const contact = { name: str, email: str, link: str };

const propertiesSchema = object(
  {
    kind: { type: 'string', minLength: 1 }, // a plain string in 2025-09-01 (an enum in older api-versions)
    parentId: { type: 'string', minLength: 1 },
    contentId: str,
    version: str,
    source: object({ kind: oneOf(['LocalWorkspace', 'Community', 'Solution', 'SourceRepository']), name: str, sourceId: str }, ['kind']),
    author: object(contact),
    support: object({ tier: oneOf(['Microsoft', 'Partner', 'Community']), ...contact }, ['tier']),
    dependencies: { type: 'any' },
    categories: object({ domains: strings, verticals: strings }),
    providers: strings,
    firstPublishDate: date,
    lastPublishDate: date,
    customVersion: str,
    contentSchemaVersion: str,
    icon: str,
    threatAnalysisTactics: strings,
    threatAnalysisTechniques: strings,
    previewImages: strings,
    previewImagesDark: strings,
  },
  ['kind', 'parentId'],
);

const bodySchema = object(
  { properties: propertiesSchema, etag: str, id: serverManaged, name: serverManaged, type: serverManaged, systemData: serverManaged },
  ['properties'],
);

export function handleMetadata(ctx: Ctx): Reply {
  const { ws } = ctx;
  const name = ctx.segments[1];
  if (name === undefined) {
    if (ctx.method !== 'GET') throw new ApiError(405, 'MethodNotAllowed', `${ctx.method} is not supported on the metadata collection.`);
    return { status: 200, body: page(ws.metadata.values(), ctx.pageSize.metadata, ctx.skipToken, ctx.self) };
  }
  if (/\s/.test(name)) throw badRequest(`The metadata name '${name}' must not contain whitespace.`);
  const key = name.toLowerCase();
  const existing = ws.metadata.get(key);
  switch (ctx.method) {
    case 'GET':
      return readOne(existing, `Metadata '${name}'`);
    case 'DELETE':
      return deleteOne(ws.metadata, key, ctx.ifMatch);
    case 'PUT': {
      validate(ctx.body, bodySchema, 'body');
      const body = ctx.body as Record<string, unknown>;
      checkEtag(existing?.etag, ctx.ifMatch, body.etag);
      const properties = writable(isObject(body.properties) ? body.properties : {}, propertiesSchema);
      const resource: Resource = {
        ...envelope(ws.scope, 'metadata', TYPE, name, existing, ctx.now),
        properties: structuredClone(properties),
      };
      ws.metadata.set(key, resource);
      return { status: existing ? 200 : 201, body: resource, headers: { ETag: resource.etag } };
    }
    default:
      throw new ApiError(405, 'MethodNotAllowed', `${ctx.method} is not supported on metadata.`);
  }
}
