// The shapes of the YAML files as written (schemas/*.schema.json is their contract). Fields are as
// the author wrote them: durations like `1h`, operators like `gt`. See model/rule.ts for the
// normalized form that compile and plan consume.

export type Severity = 'Informational' | 'Low' | 'Medium' | 'High';
export type YamlOperator = 'gt' | 'lt' | 'eq' | 'ne';
export type ParameterType = 'int' | 'long' | 'real' | 'string' | 'bool' | 'timespan' | 'int[]' | 'string[]';
export type RuleStatus = 'Available' | 'Deprecated';
export type EntityType =
  | 'Account'
  | 'AzureResource'
  | 'CloudApplication'
  | 'DNS'
  | 'File'
  | 'FileHash'
  | 'Host'
  | 'IP'
  | 'MailCluster'
  | 'MailMessage'
  | 'Mailbox'
  | 'Malware'
  | 'Process'
  | 'RegistryKey'
  | 'RegistryValue'
  | 'SecurityGroup'
  | 'SubmissionMail'
  | 'URL'
  | 'IoTDevice';
export type ParameterValue = number | string | boolean | (number | string)[];

export interface FieldMappingYaml {
  identifier: string;
  columnName: string;
}

export interface EntityMappingYaml {
  entityType: EntityType;
  fieldMappings: FieldMappingYaml[];
}

export interface ParameterYaml {
  type: ParameterType;
  description: string;
  minimum?: number;
  maximum?: number;
  allowed?: (string | number | boolean)[];
  watchlistScore?: string;
}

export interface AlertDetailsOverrideYaml {
  alertDisplayNameFormat?: string;
  alertDescriptionFormat?: string;
  alertTacticsColumnName?: string;
  alertSeverityColumnName?: string;
  alertDynamicProperties?: { alertProperty: string; value: string }[];
}

export interface GroupingConfigurationYaml {
  enabled: boolean;
  reopenClosedIncident: boolean;
  lookbackDuration: string;
  matchingMethod: 'AllEntities' | 'AnyAlert' | 'Selected';
  groupByEntities?: string[];
  groupByAlertDetails?: string[];
  groupByCustomDetails?: string[];
}

export interface RuleYaml {
  id: string;
  name: string;
  description: string;
  severity: Severity;
  status?: RuleStatus;
  enabled?: boolean;
  requiredDataConnectors: { connectorId: string; dataTypes: string[] }[];
  queryFrequency?: string;
  queryPeriod?: string;
  triggerOperator?: YamlOperator;
  triggerThreshold?: number;
  suppressionEnabled?: boolean;
  suppressionDuration?: string;
  tactics: string[];
  relevantTechniques: string[];
  parameters?: Record<string, ParameterYaml>;
  query: string;
  entityMappings?: EntityMappingYaml[];
  sentinelEntitiesMappings?: { columnName: string }[];
  customDetails?: Record<string, string>;
  alertDetailsOverride?: AlertDetailsOverrideYaml;
  eventGroupingSettings?: { aggregationKind: 'SingleAlert' | 'AlertPerResult' };
  incidentConfiguration?: { createIncident: boolean; groupingConfiguration?: GroupingConfigurationYaml };
  alertRuleTemplateName?: string;
  templateVersion?: string;
  version: string;
  kind: 'Scheduled' | 'NRT';
  tags?: (string | Record<string, string>)[];
  metadata?: Record<string, unknown>;
  hunting?: { defender?: boolean };
  /** Content lints the rule accepts: lint code → the reason. */
  lints?: Record<string, string>;
}

export type ColumnType = 'string' | 'int' | 'long' | 'real' | 'bool' | 'datetime' | 'timespan' | 'guid' | 'dynamic';

export interface FeedYaml {
  format: 'ipsum';
  url: string;
  minScore?: number;
  exitScore?: number;
  scoreThresholds?: number[];
  allowList?: string[];
  dropReserved?: boolean;
  fetch?: { timeoutSeconds?: number; retries?: number; maxBytes?: number; minIps?: number; deadlineSeconds?: number };
  guards?: {
    minItems?: number;
    maxShrinkPercent?: number;
    maxRemovePercent?: number;
    maxChangePercent?: number;
    maxChangesPerRun?: number;
    monthlyBudgetPercent?: number;
  };
}

export interface WatchlistYaml {
  alias: string;
  displayName: string;
  description: string;
  provider: string;
  source?: string;
  itemsSearchKey: string;
  columns: { name: string; type: ColumnType; description?: string }[];
  labels?: string[];
  defaultDuration?: string;
  bootstrapCsv?: string;
  feed?: FeedYaml;
}

export interface RuleOverrideYaml {
  enabled?: boolean;
  severity?: Severity;
  parameters?: Record<string, ParameterValue>;
}

export interface WorkspaceYaml {
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  workspace: string;
  armEndpoint?: string;
  apiVersion?: string;
  rules?: Record<string, RuleOverrideYaml>;
  watchlists?: Record<string, { sync?: boolean }>;
}

export interface WorkspacesYaml {
  /** `<owner>/<name>`: what the ownership marks record (no default: compile/metadata.ts). */
  repository: string;
  /** Repository-wide validation policy. */
  validation?: { asciiQueries?: 'warn' | 'strict' };
  environments: Record<string, WorkspaceYaml[]>;
}
