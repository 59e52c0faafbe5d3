// Sentinel portal exports (ARM templates) → alert rules in API form. Both resource forms are read:
//   Microsoft.OperationalInsights/workspaces/providers/alertRules  name [concat(parameters('workspace'),'/Microsoft.SecurityInsights/<id>')]
//   Microsoft.SecurityInsights/alertRules (+ scope)                name <id>
// The only ARM expressions resolved are resource names built with concat() from string literals and
// parameters (the workspace); any other expression is refused where it stands. `[[` is ARM's escape
// for a literal `[`. A metadata resource for the rule (this repository's own templates carry one)
// gives back its version, author, support and categories.
//
// Each resource stands alone: a rule of another kind (Fusion, …) or another resource (a playbook) is
// skipped with the reason, a rule that cannot be read is refused with the reason, and every other
// rule of the template is imported. Only a file that is not a template at all is refused whole.
import { InputError } from '../errors.ts';
import { armUnescape, isExpressionLike } from '../compile/arm.ts';
import type { ApiRule } from './from-api.ts';
import { refuse, SUPPORTED_KINDS, unsupportedKindReason } from './from-api.ts';

const RULE_TYPES = ['microsoft.operationalinsights/workspaces/providers/alertrules', 'microsoft.securityinsights/alertrules'];
const METADATA_TYPES = ['microsoft.operationalinsights/workspaces/providers/metadata', 'microsoft.securityinsights/metadata'];

export interface ArmRule extends ApiRule {
  /** From the rule's metadata resource, when the template has one. */
  metadata?: Record<string, unknown>;
}

/** A resource left out on purpose (another kind, not an alert rule) or refused: where, and why. */
export interface ResourceNote {
  where: string;
  reason: string;
  hint?: string;
}

export interface ArmExport {
  rules: ArmRule[];
  /** Resources that are not content this repository writes, for the report. */
  skipped: ResourceNote[];
  /** Alert rules that cannot be read (an expression, no name…); the other rules are still imported. */
  refused: ResourceNote[];
}

export function readArmExport(file: string, text: string): ArmExport {
  let template: unknown;
  try {
    template = JSON.parse(text);
  } catch (error) {
    return refuse(
      file,
      `not valid JSON (${(error as Error).message})`,
      'Export the rule again from the portal (Analytics → select → Export), or fix the file.',
    );
  }
  const resources = (template as { resources?: unknown } | null)?.resources;
  if (!Array.isArray(resources))
    refuse(
      file,
      'not an ARM template: no "resources" array',
      'import reads ARM templates exported from Sentinel and Azure-Sentinel rule YAML files.',
    );

  const rules: ArmRule[] = [];
  const skipped: ResourceNote[] = [];
  const refused: ResourceNote[] = [];
  const others: string[] = [];
  const metadata: Record<string, unknown>[] = [];
  resources.forEach((resource: unknown, index: number) => {
    const where = `${file} resources[${index}]`;
    const r = (resource ?? {}) as { type?: unknown; name?: unknown; kind?: unknown; properties?: unknown };
    const type = String(r.type ?? '').toLowerCase();
    if (METADATA_TYPES.includes(type)) {
      if (r.properties && typeof r.properties === 'object') metadata.push(r.properties as Record<string, unknown>);
      return;
    }
    if (!RULE_TYPES.includes(type)) {
      others.push(String(r.type));
      skipped.push({ where, reason: `${String(r.type)}: not an alert rule` });
      return;
    }
    if (!SUPPORTED_KINDS.includes(String(r.kind))) {
      skipped.push({ where, reason: unsupportedKindReason(String(r.kind)) });
      return;
    }
    try {
      const id = ruleId(where, type, r.name);
      if (!r.properties || typeof r.properties !== 'object') refuse(where, 'the alert rule has no "properties" object');
      rules.push({
        id,
        kind: String(r.kind),
        properties: literalValues(`${where}.properties`, r.properties) as Record<string, unknown>,
        where,
      });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      refused.push({ where, reason: error.message, ...(error.hint ? { hint: error.hint } : {}) });
    }
  });
  if (rules.length + refused.length + skipped.length - others.length === 0) {
    refuse(
      file,
      `no alert rule in this template${others.length ? ` (it has: ${others.join(', ')})` : ''}`,
      'import converts analytics rules (Scheduled, NRT) only.',
    );
  }
  for (const rule of rules) {
    const mark = metadata.find(
      (m) =>
        m.kind === 'AnalyticsRule' && typeof m.parentId === 'string' && m.parentId.toLowerCase().includes(`'${rule.id.toLowerCase()}'`),
    );
    if (!mark) continue;
    try {
      rule.metadata = literalValues(`${rule.where} metadata`, { ...mark, parentId: undefined, dependencies: undefined }) as Record<
        string,
        unknown
      >;
    } catch (error) {
      if (!(error instanceof InputError)) throw error; // an expression in the mark: the rule is kept without it
    }
  }
  return { rules, skipped, refused };
}

/** The rule id from a resource name: the last segment of its resolved name. */
function ruleId(where: string, type: string, name: unknown): string {
  if (typeof name !== 'string' || name === '') refuse(where, 'the alert rule resource has no name');
  const resolved = isExpressionLike(name) && !name.startsWith('[[') ? resolveName(where, name) : armUnescape(name);
  const segments = resolved.split('/');
  if (type === RULE_TYPES[0] && (segments.length !== 3 || segments[1]!.toLowerCase() !== 'microsoft.securityinsights')) {
    refuse(where, `resource name ${JSON.stringify(name)} is not <workspace>/Microsoft.SecurityInsights/<rule id>`);
  }
  return segments.at(-1)!;
}

/** A string literal or `parameters('<name>')`, with the spaces around it. */
const LITERAL_OR_PARAMETER = /^\s*(?:'((?:[^']|'')*)'|parameters\(\s*'([^']+)'\s*\))\s*/;

/** `[concat('a', parameters('workspace'), 'b')]` → `a{workspace}b`; a bare literal or parameter is a concat of one; anything else is refused. */
function resolveName(where: string, expression: string): string {
  const body = expression.slice(1, -1).trim();
  const concat = /^concat\((.*)\)$/s.exec(body);
  const parts: string[] = [];
  let rest = concat ? concat[1]! : body;
  while (rest.trim() !== '') {
    const m = LITERAL_OR_PARAMETER.exec(rest);
    if (!m) break;
    parts.push(m[1] !== undefined ? m[1].replace(/''/g, "'") : `{${m[2]}}`);
    rest = rest.slice(m[0].length).replace(/^,\s*/, '');
  }
  if (rest.trim() === '' && (concat || parts.length === 1)) return parts.join('');
  const computed = /\b(guid|uniqueString|newGuid)\(/i.test(body);
  return refuse(
    where,
    `resource name ${expression} cannot be resolved: only concat() of literals and the workspace parameter can${computed ? ' (this id is computed when the template is deployed, from the subscription and workspace)' : ''}`,
    computed
      ? 'Adopt the deployed rule with its real id instead: npm run cli -- import --from-workspace <workspace> --env <environment>.'
      : "Replace the expression by the rule id (a GUID), e.g. \"[concat(parameters('workspace'), '/Microsoft.SecurityInsights/<id>')]\".",
  );
}

/** Values with `[[` unescaped; an ARM expression anywhere in them is refused. */
function literalValues(where: string, value: unknown): unknown {
  if (typeof value === 'string') {
    if (isExpressionLike(value) && !value.startsWith('[[')) {
      refuse(
        where,
        `${JSON.stringify(value)} is an ARM expression; only the workspace name can be resolved`,
        "Put the value itself in the template (e.g. the parameter's default) and import again.",
      );
    }
    return armUnescape(value);
  }
  if (Array.isArray(value)) return value.map((v, i) => literalValues(`${where}[${i}]`, v));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, literalValues(`${where}.${k}`, v)]),
    );
  }
  return value;
}
