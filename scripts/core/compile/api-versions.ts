// What each SecurityInsights api-version can express. One constant for the default: the newest stable
// version documented on Microsoft Learn. A body is never compiled with a field its api-version lacks.

export const DEFAULT_API_VERSION = '2025-09-01';

export interface ApiCapabilities {
  /** The NRT (near-real-time) alert rule kind exists. */
  nrt: boolean;
  /** ScheduledAlertRuleProperties.subTechniques exists (else sub-techniques are dropped with a warning). */
  subTechniques: boolean;
}

// Stable versions have neither NRT nor subTechniques (2025-09-01 spec); the preview versions listed
// here have both. An api-version not listed is treated as stable: the conservative choice.
const PREVIEW_WITH_NRT = new Set(['2022-09-01-preview', '2024-01-01-preview', '2025-07-01-preview']);

/** The preview api-version documented for workspaces that run NRT rules (README, "NRT rules"). */
export const NRT_API_VERSION = '2025-07-01-preview';

export function capabilities(apiVersion: string): ApiCapabilities {
  const preview = PREVIEW_WITH_NRT.has(apiVersion);
  return { nrt: preview, subTechniques: preview };
}
