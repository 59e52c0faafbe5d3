// The hand-written TypeScript shapes of the YAML files (scripts/core/model/yaml-types.ts) are pinned to
// their contract, schemas/*.schema.json: the same keys, the same required/optional split, and the same
// literal values where a key is an enum. A key added to one and not the other fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/content.ts';

type JsonSchema = {
  $ref?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  items?: JsonSchema;
  definitions?: Record<string, JsonSchema>;
};

const typesFile = join(repoRoot, 'scripts/core/model/yaml-types.ts');
const source = ts.createSourceFile(typesFile, readFileSync(typesFile, 'utf8'), ts.ScriptTarget.Latest, true);
const schema = (name: string): JsonSchema =>
  JSON.parse(readFileSync(join(repoRoot, 'schemas', `${name}.schema.json`), 'utf8')) as JsonSchema;
const rule = schema('rule');
const watchlist = schema('watchlist');
const workspaces = schema('workspaces');

/** Each interface and the schema node that is its contract. */
const PAIRS: [string, string, JsonSchema][] = [
  ['RuleYaml', 'rule', rule],
  ['ParameterYaml', 'rule#/definitions/parameter', rule.definitions!.parameter!],
  ['EntityMappingYaml', 'rule#/definitions/entityMapping', rule.definitions!.entityMapping!],
  [
    'FieldMappingYaml',
    'rule#/definitions/entityMapping/…/fieldMappings/items',
    rule.definitions!.entityMapping!.properties!.fieldMappings!.items!,
  ],
  ['AlertDetailsOverrideYaml', 'rule#/definitions/alertDetailsOverride', rule.definitions!.alertDetailsOverride!],
  [
    'GroupingConfigurationYaml',
    'rule#/…/groupingConfiguration',
    rule.definitions!.incidentConfiguration!.properties!.groupingConfiguration!,
  ],
  ['WatchlistYaml', 'watchlist', watchlist],
  ['FeedYaml', 'watchlist#/definitions/feed', watchlist.definitions!.feed!],
  ['WorkspacesYaml', 'workspaces', workspaces],
  ['WorkspaceYaml', 'workspaces#/definitions/workspace', workspaces.definitions!.workspace!],
  ['RuleOverrideYaml', 'workspaces#/definitions/ruleOverride', workspaces.definitions!.ruleOverride!],
];

function resolveRef(root: JsonSchema, node: JsonSchema): JsonSchema {
  if (!node.$ref) return node;
  const path = node.$ref.replace(/^#\//, '').split('/');
  return path.reduce<JsonSchema>((at, key) => (at as Record<string, JsonSchema>)[key]!, root);
}

function declaration(name: string): ts.InterfaceDeclaration | ts.TypeAliasDeclaration {
  const found = source.statements.find(
    (s): s is ts.InterfaceDeclaration | ts.TypeAliasDeclaration =>
      (ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) && s.name.text === name,
  );
  if (!found) throw new Error(`yaml-types.ts has no ${name}`);
  return found;
}

/** The string literals of a type written as a union of literals (directly or through a type alias). */
function literals(type: ts.TypeNode | undefined): string[] | undefined {
  if (!type) return undefined;
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) {
    const target = source.statements.find((s) => ts.isTypeAliasDeclaration(s) && s.name.text === (type.typeName as ts.Identifier).text);
    return target && ts.isTypeAliasDeclaration(target) ? literals(target.type) : undefined;
  }
  const members = ts.isUnionTypeNode(type) ? type.types : [type];
  const values = members.map((m) => (ts.isLiteralTypeNode(m) && ts.isStringLiteral(m.literal) ? m.literal.text : undefined));
  return values.every((v) => v !== undefined) ? (values as string[]).sort() : undefined;
}

interface Shape {
  keys: string[];
  required: string[];
  enums: Record<string, string[]>;
}

function typeShape(name: string): Shape {
  const decl = declaration(name);
  const members: readonly ts.TypeElement[] = ts.isInterfaceDeclaration(decl) ? decl.members : [];
  const props = members.filter((m): m is ts.PropertySignature => ts.isPropertySignature(m));
  const enums: Record<string, string[]> = {};
  for (const p of props) {
    const values = literals(p.type);
    if (values && values.length > 0) enums[p.name.getText(source)] = values;
  }
  return {
    keys: props.map((p) => p.name.getText(source)).sort(),
    required: props
      .filter((p) => !p.questionToken)
      .map((p) => p.name.getText(source))
      .sort(),
    enums,
  };
}

function schemaShape(node: JsonSchema, root: JsonSchema): Shape {
  const properties = node.properties ?? {};
  const enums: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(properties)) {
    const resolved = resolveRef(root, value);
    const values = resolved.enum ?? (resolved.const !== undefined ? [resolved.const] : undefined);
    if (values && values.every((v) => typeof v === 'string')) enums[key] = (values as string[]).sort();
  }
  return { keys: Object.keys(properties).sort(), required: [...(node.required ?? [])].sort(), enums };
}

describe('yaml-types.ts is pinned to schemas/*.schema.json', () => {
  it.each(PAIRS)('%s matches %s', (name, pointer, node) => {
    const root = pointer.startsWith('rule') ? rule : pointer.startsWith('watchlist') ? watchlist : workspaces;
    expect({ name, ...typeShape(name) }).toEqual({ name, ...schemaShape(node, root) });
  });

  it('notices a key that only one side has, and an enum that differs', () => {
    const tsShape = typeShape('RuleOverrideYaml');
    const jsonShape = schemaShape(
      { ...workspaces.definitions!.ruleOverride!, properties: { ...workspaces.definitions!.ruleOverride!.properties, extra: {} } },
      workspaces,
    );
    expect(tsShape).not.toEqual(jsonShape);
    expect(jsonShape.keys.filter((k) => !tsShape.keys.includes(k))).toEqual(['extra']);
    const severity = schemaShape({ properties: { severity: { enum: ['Low', 'High'] } } }, rule).enums.severity;
    expect(severity).not.toEqual(typeShape('RuleOverrideYaml').enums.severity);
  });
});
