// What each SecurityInsights api-version can express. One constant for the default: the newest stable
// version documented on Microsoft Learn. A body is never compiled with a field its api-version lacks.
//
// Checked against Azure/azure-rest-api-specs, Microsoft.SecurityInsights/<version>/AlertRules.json:
//   2025-09-01 (stable)   AlertRuleKind: Scheduled, MicrosoftSecurityIncidentCreation, Fusion; no
//                         subTechniques on ScheduledAlertRuleProperties.
//   2022-09-01-preview    NrtAlertRule (x-ms-discriminator-value NRT); no subTechniques anywhere.
//   2024-01-01-preview    NrtAlertRule; no subTechniques on Scheduled/NRT rule properties.
//   2025-07-01-preview    NrtAlertRule; subTechniques on ScheduledAlertRuleProperties and
//                         NrtAlertRuleProperties. NRT properties have no queryFrequency, queryPeriod,
//                         triggerOperator or triggerThreshold (required: displayName, enabled,
//                         severity, query, suppressionEnabled, suppressionDuration).
//   sentinelEntitiesMappings (Scheduled and NRT) exists in the previews after 2022-09-01-preview (the
//   @azure/arm-securityinsight models of 2022-09-01-preview have none), never in a stable version.

export const DEFAULT_API_VERSION = '2025-09-01';

export interface ApiCapabilities {
  /** The NRT (near-real-time) alert rule kind exists. */
  nrt: boolean;
  /** Scheduled/NRT rule properties have subTechniques (else sub-techniques are dropped with a warning). */
  subTechniques: boolean;
  /** Scheduled/NRT rule properties have sentinelEntitiesMappings (else it is dropped with a warning). */
  sentinelEntitiesMappings: boolean;
}

const KNOWN: Readonly<Record<string, ApiCapabilities>> = {
  '2022-09-01-preview': { nrt: true, subTechniques: false, sentinelEntitiesMappings: false },
  '2024-01-01-preview': { nrt: true, subTechniques: false, sentinelEntitiesMappings: true },
  '2025-07-01-preview': { nrt: true, subTechniques: true, sentinelEntitiesMappings: true },
};

/** The preview api-version documented for workspaces that run NRT rules (docs/build.md, "NRT rules and api-versions"): it also keeps sub-techniques. */
export const NRT_API_VERSION = '2025-07-01-preview';

/** An api-version not listed (stable ones included) has neither: the conservative choice. */
export function capabilities(apiVersion: string): ApiCapabilities {
  return KNOWN[apiVersion] ?? { nrt: false, subTechniques: false, sentinelEntitiesMappings: false };
}
