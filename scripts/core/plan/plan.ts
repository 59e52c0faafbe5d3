// Desired vs live for one workspace → create | update | noop | delete per rule and watchlist, with the
// writes deploy would send. Pure. Ownership is decided by the mark (compile/metadata.ts) and, for what
// may be deleted or adopted, by the version lock (Ownership, types.ts):
//   - a live rule with our id and our exact mark (name, kind and contentId name it): update or noop;
//   - a live rule with our id and no mark of ours: conflict `unmanaged`, whatever its content (deploy
//     refuses it; only --adopt takes it over, for an id the lock records: it writes the mark, and the
//     rule too when it differs). Equal content proves nothing: anyone can copy a rule, and a deploy
//     interrupted between the rule and its mark is indistinguishable from that;
//   - a live rule or mark claimed by another repository: conflict `owned-elsewhere` (never written);
//   - a live rule with our exact mark, whose id the lock records (current or retired) but the
//     repository no longer has: delete (deploy applies it with --prune only). Nothing else is deleted;
//   - watchlists are created and their metadata updated, never deleted (the sync owns their items); an
//     unmarked watchlist equal to its definition is marked (watchlists/ defining it is the proof).
import { isExactMark, isOwnedBy, metadataName, SOURCE_KIND, type OwnedKind } from '../compile/metadata.ts';
import { encodeProvenance, decodeProvenance } from '../feed/provenance.ts';
import type { Workspace } from '../model/workspaces.ts';
import { ruleParentId, watchlistParentId, type DesiredRule, type DesiredState, type DesiredWatchlist } from './desired.ts';
import { diffFields } from './field-diff.ts';
import { normalizeMark, normalizeRule, normalizeWatchlist } from './normalize.ts';
import type {
  Change,
  ChangeType,
  Conflict,
  FieldChange,
  LiveAlertRule,
  LiveMetadata,
  LiveState,
  LiveWatchlist,
  MarkAction,
  Ownership,
  PlannedChange,
  WorkspacePlan,
  Write,
} from './types.ts';
import { LOCK_PATH } from '../lock/lock-file.ts';
import { compareText } from '../text/compare.ts';
import { asString } from '../guards.ts';

type Props = Record<string, unknown>;

export function planWorkspace(ws: Workspace, desired: DesiredState, live: LiveState, owner: Ownership): WorkspacePlan {
  const marks = indexMarks(live.metadata);
  const rules = new Map(live.alertRules.map((r) => [r.name.toLowerCase(), r]));
  const watchlists = new Map(live.watchlists.map((w) => [w.alias.toLowerCase(), w]));
  const changes: PlannedChange[] = [];

  for (const rule of desired.rules) {
    const claim = claims(marks, ruleParentId(ws, rule.id), { kind: 'AnalyticsRule', name: rule.id }, owner.repository);
    changes.push(planRule(ws.name, rule, rules.get(rule.id), claim, owner.locked.has(rule.id.toLowerCase())));
  }
  const wanted = new Set(desired.rules.map((r) => r.id.toLowerCase()));
  for (const mark of live.metadata) {
    const id = ownedRuleId(ws, mark, owner);
    if (id === undefined || wanted.has(id)) continue;
    const claim = claims(marks, ruleParentId(ws, id), { kind: 'AnalyticsRule', name: id }, owner.repository);
    if (claim.other) continue; // contested: never deleted
    changes.push(planDelete(id, rules.get(id), mark));
  }
  for (const w of desired.watchlists) {
    const claim = claims(marks, watchlistParentId(ws, w.alias), { kind: 'Watchlist', name: w.alias }, owner.repository);
    changes.push(planWatchlist(ws.name, w, watchlists.get(w.alias.toLowerCase()), claim));
  }
  changes.sort((a, b) => compareText(a.change.type, b.change.type) || compareText(a.change.id, b.change.id));
  return { name: ws.name, changes };
}

interface Claims {
  ours?: LiveMetadata;
  /** The repository of another SourceRepository mark on the same resource. */
  other?: string;
}

function indexMarks(metadata: readonly LiveMetadata[]): Map<string, LiveMetadata[]> {
  const index = new Map<string, LiveMetadata[]>();
  const add = (key: string, m: LiveMetadata) => index.set(key, [...(index.get(key) ?? []), m]);
  for (const m of metadata) {
    add(`name:${m.name.toLowerCase()}`, m);
    if (typeof m.properties.parentId === 'string') add(`parent:${m.properties.parentId.toLowerCase()}`, m);
  }
  return index;
}

function claims(
  index: Map<string, LiveMetadata[]>,
  parentId: string,
  resource: { kind: OwnedKind; name: string },
  repository: string,
): Claims {
  const byParent = index.get(`parent:${parentId.toLowerCase()}`) ?? [];
  const byName = index.get(`name:${metadataName(resource.kind, resource.name)}`) ?? [];
  const all = [...new Set([...byParent, ...byName])];
  // Ours only under the exact name deploy writes: a hand-written mark under another name claims nothing.
  const ours = all.find((m) => isExactMark(m, resource.kind, resource.name) && isOwnedBy(m.properties, repository));
  const other = all
    .map((m) => m.properties.source as { kind?: unknown; name?: unknown } | undefined)
    .find((s) => s?.kind === SOURCE_KIND && s.name !== repository);
  return { ours, ...(other ? { other: String(other.name) } : {}) };
}

/**
 * The rule id a mark proves this repository owns in this workspace, else undefined: our repository's
 * exact mark (name, kind, contentId) on a rule of this workspace, for an id the version lock records.
 */
function ownedRuleId(ws: Workspace, mark: LiveMetadata, owner: Ownership): string | undefined {
  if (!isOwnedBy(mark.properties, owner.repository)) return undefined;
  const parentId = asString(mark.properties.parentId)?.toLowerCase();
  const prefix = ruleParentId(ws, '').toLowerCase();
  const id = parentId?.startsWith(prefix) ? parentId.slice(prefix.length) : undefined;
  if (!id || id.includes('/') || !isExactMark(mark, 'AnalyticsRule', id)) return undefined;
  return owner.locked.has(id) || owner.retired.has(id) ? id : undefined;
}

interface MarkPlan {
  mark: MarkAction;
  markFields?: FieldChange[];
  writes: Write[];
}

function markPlan(name: string, desired: Props, live: LiveMetadata | undefined): MarkPlan {
  const put: Write = { op: 'putMark', name: live?.name ?? name, body: { properties: desired } };
  if (!live) return { mark: 'create', writes: [put] };
  const fields = diffFields(normalizeMark(live.properties), normalizeMark(desired));
  return fields.length ? { mark: 'update', markFields: fields, writes: [put] } : { mark: 'noop', writes: [] };
}

const NOUN: Record<ChangeType, string> = { alertRule: 'alert rule', watchlist: 'watchlist' };
const UNMARKED_IDENTICAL = "exists without an ownership mark and equals this repository's version: only the mark is written";

/** Where a resource is, for messages: `alert rule <id> in workspace <name>`. */
interface Subject {
  type: ChangeType;
  id: string;
  workspace: string;
}

function conflictOf(subject: Subject, live: boolean, differs: boolean, claim: Claims, adoptable: boolean): Conflict | undefined {
  const what = `${NOUN[subject.type]} ${subject.id} in workspace ${subject.workspace}`;
  if (claim.other) {
    return {
      reason: 'owned-elsewhere',
      owner: claim.other,
      message: `${what} is marked as owned by repository '${claim.other}': not touched`,
    };
  }
  // An unmarked rule is never taken over by a plain deploy, even when it equals ours: only --adopt
  // writes the mark. An unmarked watchlist equal to its definition is marked (its definition is the proof).
  if (!live || claim.ours || (!differs && subject.type === 'watchlist')) return undefined;
  if (!adoptable) {
    return {
      reason: 'unmanaged',
      adoptable,
      message: `${what} exists without this repository's ownership mark, and ${LOCK_PATH} does not record the id: deploy refuses it, --adopt too`,
    };
  }
  return {
    reason: 'unmanaged',
    adoptable,
    message: differs
      ? `${what} exists without this repository's ownership mark: deploy refuses it unless run with --adopt`
      : `${what} exists without this repository's ownership mark and equals this repository's version: deploy does not mark it as ours; review it, then run deploy --adopt to take it over (only the mark is written)`,
  };
}

/**
 * A rule's or watchlist's Change and writes, once its own diff is known: created when not live,
 * updated when it or its mark differs; the resource's writes before its mark's; nothing written when
 * another repository owns it.
 */
function planned(
  workspace: string,
  base: Pick<Change, 'type' | 'id' | 'displayName' | 'file'>,
  live: boolean,
  fields: FieldChange[],
  writes: Write[],
  mark: MarkPlan,
  claim: Claims,
  adoptable: boolean,
): PlannedChange {
  const differs = fields.length > 0;
  const conflict = conflictOf({ type: base.type, id: base.id, workspace }, live, differs, claim, adoptable);
  const action = !live ? 'create' : differs || mark.mark !== 'noop' ? 'update' : 'noop';
  const change: Change = {
    ...base,
    action,
    ...(differs ? { changedFields: fields } : {}),
    mark: mark.mark,
    ...(mark.markFields ? { markFields: mark.markFields } : {}),
    ...(conflict ? { conflict } : {}),
    ...(live && !differs && !claim.ours && !conflict ? { note: UNMARKED_IDENTICAL } : {}),
  };
  return { change, writes: conflict?.reason === 'owned-elsewhere' ? [] : [...writes, ...mark.writes] };
}

function planRule(workspace: string, rule: DesiredRule, live: LiveAlertRule | undefined, claim: Claims, locked: boolean): PlannedChange {
  const base = { type: 'alertRule' as const, id: rule.id, displayName: rule.displayName, file: rule.file };
  const fields = live ? diffFields(normalizeRule(live.kind, live.properties), normalizeRule(rule.body.kind, rule.body.properties)) : [];
  const putRule: Write[] = !live || fields.length ? [{ op: 'putRule', id: rule.id, body: rule.body }] : [];
  return planned(
    workspace,
    base,
    live !== undefined,
    fields,
    putRule,
    markPlan(rule.markName, rule.mark.properties, claim.ours),
    claim,
    locked,
  );
}

function planDelete(id: string, live: LiveAlertRule | undefined, mark: LiveMetadata): PlannedChange {
  const displayName = typeof live?.properties.displayName === 'string' ? live.properties.displayName : undefined;
  const change: Change = { type: 'alertRule', id, action: 'delete', ...(displayName ? { displayName } : {}), mark: 'delete' };
  const writes: Write[] = [...(live ? [{ op: 'deleteRule' as const, id: live.name }] : []), { op: 'deleteMark', name: mark.name }];
  return { change, writes };
}

function planWatchlist(workspace: string, w: DesiredWatchlist, live: LiveWatchlist | undefined, claim: Claims): PlannedChange {
  const mark = markPlan(w.markName, w.mark.properties, claim.ours);
  const base = { type: 'watchlist' as const, id: w.alias, displayName: String(w.body.properties.displayName), file: w.file };
  if (!live) {
    const create: Write = {
      op: 'putWatchlist',
      alias: w.alias,
      body: w.body,
      create: { header: w.header, ...(w.bootstrapCsv ? { bootstrapCsv: w.bootstrapCsv } : {}) },
    };
    return planned(workspace, base, false, [], [create], mark, claim, true);
  }
  // The sync's provenance block stays at the end of the description (the human part may be shortened
  // to make room: compare what would be stored, not the definition's text).
  const state = decodeProvenance(asString(live.properties.description)).state;
  const description = String(w.body.properties.description ?? '');
  const body = { properties: { ...w.body.properties, description: state ? encodeProvenance(description, state) : description } };
  const fields = diffFields(normalizeWatchlist(live.properties), normalizeWatchlist(body.properties));
  // With the live etag: if the sync rewrote the description (its provenance line) since we read it,
  // the service refuses this PUT rather than let it restore a stale line and undercount the budget.
  const writes: Write[] = fields.length
    ? [{ op: 'putWatchlist', alias: live.alias, body: live.etag ? { etag: live.etag, ...body } : body }]
    : [];
  // A watchlist's definition in watchlists/ is the proof: it may be adopted.
  return planned(workspace, base, true, fields, writes, mark, claim, true);
}
