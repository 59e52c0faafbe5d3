// Layer (c) for rules: the cross-field constraints that the Sentinel API or Microsoft's content CI
// enforce and that a JSON schema cannot express (the service's documented limits for analytics rules).
import { ENTITY_TYPES } from '../data/entities.ts';
import { ATTACK_VERSION, RETIRED_TECHNIQUES, TECHNIQUE_TACTICS } from '../data/mitre.ts';
import { parseDuration } from '../model/duration.ts';
import { kqlRegions, type Region } from '../kql/regions.ts';
import { didYouMean, listOf } from '../text/suggest.ts';
import type { YamlDocument } from '../yaml/document.ts';
import { asArray, asRecord, asString, strings } from '../guards.ts';
import { Reporter } from './report.ts';

const MIN_MINUTES = 5;
const MAX_MINUTES = 14 * 1440;
const MAX_PLACEHOLDERS = 3;
/** Non-ASCII characters reported per query (a Spanish comment block has hundreds). */
const MAX_NON_ASCII = 10;
export const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

export function ruleFieldDiagnostics(doc: YamlDocument): Reporter['diagnostics'] {
  const report = new Reporter(doc);
  const rule = asRecord(doc.value) ?? {};
  checkSchedule(report, rule);
  checkTechniques(report, rule);
  checkEntityMappings(report, rule);
  checkOverride(report, rule);
  checkGrouping(report, rule);
  checkSuppression(report, rule);
  checkQueryText(report, rule);
  return report.diagnostics;
}

function checkSchedule(report: Reporter, rule: Record<string, unknown>): void {
  const frequency = parseDuration(rule.queryFrequency);
  const period = parseDuration(rule.queryPeriod);
  for (const [key, minutes] of [
    ['queryFrequency', frequency],
    ['queryPeriod', period],
  ] as const) {
    if (minutes !== undefined && (minutes < MIN_MINUTES || minutes > MAX_MINUTES)) {
      report.error(
        [key],
        'rule.duration-range',
        `${key} ${String(rule[key])} is outside the allowed 5m to 14d`,
        `Use a value from 5m to 14d.`,
      );
    }
  }
  if (frequency !== undefined && period !== undefined) {
    if (period < frequency) {
      report.error(
        ['queryPeriod'],
        'rule.period-shorter-than-frequency',
        `queryPeriod ${String(rule.queryPeriod)} is shorter than queryFrequency ${String(rule.queryFrequency)}: events between runs would never be queried`,
        `Set queryPeriod to at least ${String(rule.queryFrequency)}.`,
      );
    } else if (period >= 2 * 1440 && frequency < 60) {
      report.error(
        ['queryFrequency'],
        'rule.long-period-frequency',
        `a queryPeriod of 2 days or more (${String(rule.queryPeriod)}) needs a queryFrequency of at least 1h (is ${String(rule.queryFrequency)})`,
        'Raise queryFrequency to 1h or shorten queryPeriod below 2d.',
      );
    }
  }
}

function checkTechniques(report: Reporter, rule: Record<string, unknown>): void {
  const tactics = new Set(strings(rule.tactics));
  asArray(rule.relevantTechniques).forEach((value, index) => {
    const technique = asString(value);
    if (!technique || !/^T\d{4}(\.\d{3})?$/.test(technique)) return; // schema reports the format
    const base = technique.slice(0, 5);
    const mapped = TECHNIQUE_TACTICS[base];
    const replacement = RETIRED_TECHNIQUES[base];
    if (!mapped && replacement !== undefined) {
      // Revoked or deprecated in ATT&CK: the id is still accepted by the service, but no longer means much.
      report.warning(
        ['relevantTechniques', index],
        'rule.retired-technique',
        `${technique} is revoked or deprecated in MITRE ATT&CK ${ATTACK_VERSION}`,
        replacement
          ? `Use ${replacement} instead (what ATT&CK replaced it with).`
          : 'Remove it, or pick the current technique on attack.mitre.org.',
      );
      return;
    }
    if (!mapped) {
      report.error(
        ['relevantTechniques', index],
        'rule.unknown-technique',
        `${technique} is not a MITRE ATT&CK ${ATTACK_VERSION} technique`,
        'Check the technique id on attack.mitre.org.',
      );
      return;
    }
    const usable = mapped.filter((t) => t !== 'PreAttack');
    if (!usable.some((t) => tactics.has(t))) {
      report.error(
        ['relevantTechniques', index],
        'rule.technique-tactic',
        `${technique} belongs to ${listOf(usable)}, none of which is in tactics`,
        `Add ${usable.length === 1 ? `'${usable[0]}'` : `one of ${listOf(usable)}`} to tactics, or remove ${technique}.`,
      );
    }
  });
}

function checkEntityMappings(report: Reporter, rule: Record<string, unknown>): void {
  asArray(rule.entityMappings).forEach((raw, index) => {
    const mapping = asRecord(raw);
    const type = asString(mapping?.entityType);
    const spec = type ? ENTITY_TYPES[type] : undefined;
    if (!mapping || !spec) return; // schema reports unknown entity types
    const seen = new Set<string>();
    asArray(mapping.fieldMappings).forEach((rawField, fieldIndex) => {
      const identifier = asString(asRecord(rawField)?.identifier);
      if (!identifier) return;
      const path = ['entityMappings', index, 'fieldMappings', fieldIndex, 'identifier'];
      if (!spec.identifiers.includes(identifier)) {
        report.error(
          path,
          'rule.entity-identifier',
          `'${identifier}' is not an identifier of entity type ${type}`,
          didYouMean(identifier, spec.identifiers) ?? `${type} accepts ${listOf(spec.identifiers)}.`,
        );
      } else if (seen.has(identifier)) {
        report.error(
          path,
          'rule.entity-duplicate-identifier',
          `${type} maps identifier '${identifier}' twice`,
          'Keep one field mapping per identifier.',
        );
      }
      seen.add(identifier);
    });
    if (!spec.requiredAnyOf.some((set) => set.every((id) => seen.has(id)))) {
      const options = spec.requiredAnyOf.map((set) => set.join(' + '));
      report.error(
        ['entityMappings', index, 'entityType'],
        'rule.entity-strong-identifier',
        `the ${type} mapping has no identifier that identifies the entity on its own`,
        `Map ${options.length === 1 ? options[0] : `one of ${listOf(options)}`}.`,
      );
    }
  });
}

function checkOverride(report: Reporter, rule: Record<string, unknown>): void {
  const override = asRecord(rule.alertDetailsOverride);
  if (!override) return;
  for (const key of ['alertDisplayNameFormat', 'alertDescriptionFormat']) {
    const format = asString(override[key]);
    if (!format) continue;
    const count = [...format.matchAll(PLACEHOLDER)].length;
    if (count > MAX_PLACEHOLDERS) {
      report.error(
        ['alertDetailsOverride', key],
        'rule.placeholder-count',
        `${key} uses ${count} {{column}} placeholders; Sentinel allows at most ${MAX_PLACEHOLDERS}`,
        'Keep the three most useful columns; put the rest in customDetails.',
      );
    }
  }
}

function checkGrouping(report: Reporter, rule: Record<string, unknown>): void {
  const grouping = asRecord(asRecord(rule.incidentConfiguration)?.groupingConfiguration);
  if (!grouping) return;
  const base = ['incidentConfiguration', 'groupingConfiguration'];
  const byEntities = strings(grouping.groupByEntities);
  const byDetails = strings(grouping.groupByAlertDetails);
  const byCustom = strings(grouping.groupByCustomDetails);
  if (grouping.matchingMethod === 'Selected') {
    if (grouping.enabled === true && byEntities.length + byDetails.length + byCustom.length === 0) {
      report.error(
        [...base, 'matchingMethod'],
        'rule.grouping-selection',
        'matchingMethod Selected needs at least one of groupByEntities, groupByAlertDetails or groupByCustomDetails',
        'List what alerts are grouped by, or use AllEntities.',
      );
    }
  } else if (byEntities.length + byDetails.length + byCustom.length > 0) {
    report.warning(
      [...base, 'matchingMethod'],
      'rule.grouping-ignored',
      `groupBy lists are ignored unless matchingMethod is Selected (is ${String(grouping.matchingMethod)})`,
      'Set matchingMethod: Selected, or remove the groupBy lists.',
    );
  }
  const mapped = new Set(asArray(rule.entityMappings).map((m) => asString(asRecord(m)?.entityType)));
  byEntities.forEach((type, index) => {
    if (!mapped.has(type)) {
      report.error(
        [...base, 'groupByEntities', index],
        'rule.grouping-entity',
        `incidents are grouped by ${type}, but no entity mapping produces a ${type}`,
        `Map a ${type} entity in entityMappings or remove it from groupByEntities.`,
      );
    }
  });
  const details = Object.keys(asRecord(rule.customDetails) ?? {});
  byCustom.forEach((key, index) => {
    if (!details.includes(key)) {
      report.error(
        [...base, 'groupByCustomDetails', index],
        'rule.grouping-custom-detail',
        `'${key}' is not a key of customDetails`,
        didYouMean(key, details) ?? 'Group only by keys defined in customDetails.',
      );
    }
  });
}

function checkSuppression(report: Reporter, rule: Record<string, unknown>): void {
  if (rule.suppressionEnabled === true && rule.suppressionDuration === undefined) {
    report.error(
      ['suppressionEnabled'],
      'rule.suppression',
      'suppressionEnabled is true but suppressionDuration is missing',
      'Add suppressionDuration (e.g. 5h), or set suppressionEnabled: false.',
      'key',
    );
  }
}

function checkQueryText(report: Reporter, rule: Record<string, unknown>): void {
  const query = asString(rule.query);
  if (!query) return;
  // The service accepts non-ASCII characters in comments and string literals (rules exported from live
  // workspaces carry Spanish comments, typographic dashes): a warning there. In the code itself they are
  // invisible look-alikes (typographic quotes around a string, a non-breaking space): an error.
  // Microsoft's content CI refuses any non-ASCII character; a team that wants that policy sets
  // `validation: { asciiQueries: strict }` in workspaces.yaml (the warnings become errors).
  let regions: Region[] | undefined;
  let reported = 0;
  for (const match of query.matchAll(/[^\x00-\x7F]/gu)) {
    if (reported++ === MAX_NON_ASCII) break;
    regions ??= kqlRegions(query);
    const region = regions[match.index!]!;
    const code = match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    const where = region === 'comment' ? 'a comment' : region === 'string' ? 'a string literal' : 'the query code';
    report.inString(
      region === 'code' ? 'error' : 'warning',
      ['query'],
      match.index!,
      'rule.query-ascii',
      `non-ASCII character U+${code} ('${match[0]}') in ${where}`,
      region === 'code'
        ? 'Replace it with its ASCII equivalent (typographic quotes and dashes, non-breaking spaces are the usual culprits).'
        : "The service accepts it; replace it if your repository follows Microsoft's ASCII-only content policy.",
    );
  }
}
