// Microsoft.SecurityInsights/alertRules: PUT 201/200, GET, LIST (paged), DELETE 200/204.
// Bodies are checked against the api-version's spec (2025-09-01 stable; preview versions add NRT
// and a few properties) plus the limits the service enforces.
import { ApiError, badRequest, checkEtag } from './errors.ts';
import { envelope, page, type Ctx, type Reply, type Resource, deleteOne, readOne } from './store.ts';
import {
  arrayOf,
  bool,
  check,
  duration,
  formatDuration,
  isObject,
  object,
  oneOf,
  parseDuration,
  serverManaged,
  str,
  strings,
  validate,
  writable,
  type Schema,
} from './validate.ts';

const TYPE = 'Microsoft.SecurityInsights/alertRules';
const STABLE_KINDS = ['Scheduled', 'MicrosoftSecurityIncidentCreation', 'Fusion'];
const PREVIEW_KINDS = [...STABLE_KINDS, 'NRT'];

const severity = oneOf(['High', 'Medium', 'Low', 'Informational']);
const ENTITY_TYPES = [
  'Account',
  'Host',
  'IP',
  'Malware',
  'File',
  'Process',
  'CloudApplication',
  'DNS',
  'AzureResource',
  'FileHash',
  'RegistryKey',
  'RegistryValue',
  'SecurityGroup',
  'URL',
  'Mailbox',
  'MailCluster',
  'MailMessage',
  'SubmissionMail',
];
const TACTICS = [
  'Reconnaissance',
  'ResourceDevelopment',
  'InitialAccess',
  'Execution',
  'Persistence',
  'PrivilegeEscalation',
  'DefenseEvasion',
  'CredentialAccess',
  'Discovery',
  'LateralMovement',
  'Collection',
  'Exfiltration',
  'CommandAndControl',
  'Impact',
  'PreAttack',
  'ImpairProcessControl',
  'InhibitResponseFunction',
];
const technique: Schema = {
  type: 'string',
  pattern: /^T\d{4}$/,
  patternHint: 'the expected format is T#### (sub-techniques are not accepted here)',
};

const entityMappings: Schema = arrayOf(
  object(
    {
      entityType: oneOf(ENTITY_TYPES),
      fieldMappings: arrayOf(object({ identifier: str, columnName: str }, ['identifier', 'columnName']), { minItems: 1, maxItems: 3 }),
    },
    ['entityType', 'fieldMappings'],
  ),
  { maxItems: 10 },
);

const alertDetailsOverride = object({
  alertDisplayNameFormat: { type: 'string', minLength: 1, maxLength: 256 },
  alertDescriptionFormat: { type: 'string', minLength: 1, maxLength: 5000 },
  alertTacticsColumnName: str,
  alertSeverityColumnName: str,
  alertDynamicProperties: arrayOf(
    object({
      alertProperty: oneOf([
        'AlertLink',
        'ConfidenceLevel',
        'ConfidenceScore',
        'ExtendedLinks',
        'ProductName',
        'ProviderName',
        'ProductComponentName',
        'RemediationSteps',
        'Techniques',
      ]),
      value: str,
    }),
  ),
});

const incidentConfiguration = object(
  {
    createIncident: bool,
    groupingConfiguration: object(
      {
        enabled: bool,
        reopenClosedIncident: bool,
        lookbackDuration: duration,
        matchingMethod: oneOf(['AllEntities', 'AnyAlert', 'Selected']),
        groupByEntities: arrayOf(oneOf(ENTITY_TYPES)),
        groupByAlertDetails: arrayOf(oneOf(['DisplayName', 'Severity'])),
        groupByCustomDetails: strings,
      },
      ['enabled', 'reopenClosedIncident', 'lookbackDuration', 'matchingMethod'],
    ),
  },
  ['createIncident'],
);

// Per the specs, subTechniques appear in 2025-07-01-preview; the older previews have NRT but not them.
const SUB_TECHNIQUE_VERSIONS = new Set(['2025-07-01-preview']);

/** Scheduled (and, in preview api-versions, NRT) rule properties. */
function queryRuleProperties(kind: 'Scheduled' | 'NRT', preview: boolean, apiVersion: string): Schema {
  const properties: Record<string, Schema> = {
    displayName: { type: 'string', minLength: 1 },
    description: str,
    enabled: bool,
    severity,
    query: { type: 'string', minLength: 1, maxLength: 10_000 },
    suppressionEnabled: bool,
    suppressionDuration: duration,
    tactics: arrayOf(oneOf(TACTICS)),
    techniques: arrayOf(technique),
    alertRuleTemplateName: str,
    templateVersion: str,
    incidentConfiguration,
    eventGroupingSettings: object({ aggregationKind: oneOf(['SingleAlert', 'AlertPerResult']) }),
    customDetails: { type: 'map', values: str, maxEntries: 20 },
    entityMappings,
    alertDetailsOverride,
    lastModifiedUtc: serverManaged,
  };
  const required = ['displayName', 'enabled', 'severity', 'query', 'suppressionEnabled', 'suppressionDuration'];
  if (kind === 'Scheduled') {
    Object.assign(properties, {
      queryFrequency: duration,
      queryPeriod: duration,
      triggerOperator: oneOf(['GreaterThan', 'LessThan', 'Equal', 'NotEqual']),
    });
    properties.triggerThreshold = { type: 'integer', minimum: 0, maximum: 10_000 };
    required.push('queryFrequency', 'queryPeriod', 'triggerOperator', 'triggerThreshold');
  }
  // The @azure/arm-securityinsight models of 2022-09-01-preview have no sentinelEntitiesMappings; later previews do.
  if (preview && apiVersion !== '2022-09-01-preview') properties.sentinelEntitiesMappings = arrayOf(object({ columnName: str }));
  if (SUB_TECHNIQUE_VERSIONS.has(apiVersion)) {
    properties.subTechniques = arrayOf({ type: 'string', pattern: /^T\d{4}\.\d{3}$/, patternHint: 'the expected format is T####.###' });
  }
  return object(properties, required);
}

function propertiesSchema(kind: string, preview: boolean, apiVersion: string): Schema {
  switch (kind) {
    case 'Scheduled':
    case 'NRT':
      return queryRuleProperties(kind, preview, apiVersion);
    case 'Fusion':
      return object(
        {
          alertRuleTemplateName: str,
          enabled: bool,
          ...Object.fromEntries(
            ['description', 'displayName', 'severity', 'tactics', 'techniques', 'lastModifiedUtc'].map((k) => [k, serverManaged]),
          ),
        },
        ['alertRuleTemplateName', 'enabled'],
      );
    default: // MicrosoftSecurityIncidentCreation
      return object(
        {
          displayName: str,
          description: str,
          enabled: bool,
          alertRuleTemplateName: str,
          lastModifiedUtc: serverManaged,
          productFilter: oneOf([
            'Microsoft Cloud App Security',
            'Azure Security Center',
            'Azure Advanced Threat Protection',
            'Azure Active Directory Identity Protection',
            'Azure Security Center for IoT',
          ]),
          severitiesFilter: arrayOf(severity),
          displayNamesFilter: strings,
          displayNamesExcludeFilter: strings,
        },
        ['displayName', 'enabled', 'productFilter'],
      );
  }
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Limits that span properties; the caller has already validated types and formats. */
function checkLimits(p: Record<string, unknown>, missingTables: ReadonlySet<string>): void {
  if (typeof p.queryFrequency === 'string' && typeof p.queryPeriod === 'string') {
    const frequency = parseDuration(p.queryFrequency) ?? 0;
    const period = parseDuration(p.queryPeriod) ?? 0;
    for (const [name, value] of [
      ['queryFrequency', frequency],
      ['queryPeriod', period],
    ] as const) {
      if (value < 5 * MINUTE || value > 14 * DAY)
        throw badRequest(`properties.${name} must be between 5 minutes (PT5M) and 14 days (P14D), got ${String(p[name])}.`);
    }
    if (period < frequency)
      throw badRequest(
        `properties.queryPeriod (${String(p.queryPeriod)}) must be greater than or equal to properties.queryFrequency (${String(p.queryFrequency)}).`,
      );
    if (period >= 2 * DAY && frequency < HOUR)
      throw badRequest(
        `properties.queryFrequency must be at least 1 hour when properties.queryPeriod is 2 days or more, got ${String(p.queryFrequency)}.`,
      );
  }
  const override = isObject(p.alertDetailsOverride) ? p.alertDetailsOverride : {};
  for (const field of ['alertDisplayNameFormat', 'alertDescriptionFormat']) {
    const text = override[field];
    const placeholders = typeof text === 'string' ? (text.match(/\{\{[^{}]*\}\}/g) ?? []).length : 0;
    if (placeholders > 3)
      throw badRequest(`properties.alertDetailsOverride.${field} may contain at most 3 {{column}} placeholders, got ${placeholders}.`);
  }
  // A mapped entity column or custom detail column the query does not output cannot be checked without KQL: not emulated.
  const query = typeof p.query === 'string' ? p.query : '';
  for (const table of missingTables) {
    if (new RegExp(`\\b${table.replace(/[^\w]/g, '')}\\b`).test(query)) {
      throw badRequest(
        `Failed to run the analytics rule query. One of the tables does not exist. Semantic error: Failed to resolve table or column expression named '${table}'.`,
      );
    }
  }
}

/** Values the service fills in for omitted properties, so that a plan has to normalize them away. */
function withServerDefaults(kind: string, p: Record<string, unknown>): Record<string, unknown> {
  if (kind !== 'Scheduled' && kind !== 'NRT') return p;
  const defaults: Record<string, unknown> = {
    alertRuleTemplateName: null,
    templateVersion: null,
    customDetails: null,
    entityMappings: null,
    alertDetailsOverride: null,
    incidentConfiguration: {
      createIncident: true,
      groupingConfiguration: {
        enabled: false,
        reopenClosedIncident: false,
        lookbackDuration: 'PT5H',
        matchingMethod: 'AllEntities',
        groupByEntities: [],
        groupByAlertDetails: [],
        groupByCustomDetails: [],
      },
    },
  };
  if (kind === 'Scheduled') defaults.eventGroupingSettings = { aggregationKind: 'SingleAlert' };
  const out = { ...defaults, ...p };
  // Durations come back in the canonical form the service's TimeSpan serializer writes.
  const canonical = (text: unknown) => (typeof text === 'string' ? formatDuration(parseDuration(text) ?? 0) : text);
  for (const key of ['queryFrequency', 'queryPeriod', 'suppressionDuration']) if (key in out) out[key] = canonical(out[key]);
  const grouping = (out.incidentConfiguration as { groupingConfiguration?: Record<string, unknown> }).groupingConfiguration;
  if (grouping) grouping.lookbackDuration = canonical(grouping.lookbackDuration);
  return out;
}

export function handleAlertRules(ctx: Ctx): Reply {
  const { ws, segments } = ctx;
  const name = segments[1];
  if (name === undefined) {
    if (ctx.method !== 'GET') throw new ApiError(405, 'MethodNotAllowed', `${ctx.method} is not supported on the alertRules collection.`);
    return { status: 200, body: page(ws.alertRules.values(), ctx.pageSize.alertRules, ctx.skipToken, ctx.self) };
  }
  const key = name.toLowerCase();
  const existing = ws.alertRules.get(key);
  switch (ctx.method) {
    case 'GET':
      return readOne(existing, `Alert rule '${name}'`);
    case 'DELETE':
      return deleteOne(ws.alertRules, key, ctx.ifMatch);
    case 'PUT': {
      const body = ctx.body;
      if (!isObject(body)) throw badRequest('The request body must be a JSON object with "kind" and "properties".');
      const kinds = ctx.preview ? PREVIEW_KINDS : STABLE_KINDS;
      const kindProblem = body.kind === undefined ? 'kind is required.' : check(body.kind, oneOf(kinds), 'kind');
      if (kindProblem) {
        const hint = body.kind === 'NRT' ? ` NRT rules exist only in preview api-versions; this request used ${ctx.apiVersion}.` : '';
        throw badRequest(kindProblem + hint);
      }
      const kind = body.kind as string;
      const schema = propertiesSchema(kind, ctx.preview, ctx.apiVersion);
      validate(
        body,
        object(
          {
            kind: str,
            etag: str,
            properties: schema,
            id: serverManaged,
            name: serverManaged,
            type: serverManaged,
            systemData: serverManaged,
          },
          ['properties'],
        ),
        'body',
      );
      const properties = writable(body.properties as Record<string, unknown>, schema);
      checkLimits(properties, ctx.missingTables);
      checkEtag(existing?.etag, ctx.ifMatch, body.etag);
      const rule: Resource = {
        ...envelope(ws.scope, 'alertRules', TYPE, name, existing, ctx.now),
        kind,
        properties: { ...withServerDefaults(kind, structuredClone(properties)), lastModifiedUtc: new Date(ctx.now).toISOString() },
      };
      ws.alertRules.set(key, rule);
      return { status: existing ? 200 : 201, body: rule, headers: { ETag: rule.etag } };
    }
    default:
      throw new ApiError(405, 'MethodNotAllowed', `${ctx.method} is not supported on alert rules.`);
  }
}
