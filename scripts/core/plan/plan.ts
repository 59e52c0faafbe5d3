// Desired vs live for one workspace → create | update | noop | delete per rule and watchlist, with the
// writes deploy would send. Pure. Ownership is decided by the mark (compile/metadata.ts):
//   - a live rule with our id and our mark: update or noop;
//   - a live rule with our id, no mark at all and exactly our content: marked as ours (the state an
//     interrupted deploy leaves between the rule and its mark; nothing of anyone else's is changed);
//   - a live rule with our id, no mark and other content: conflict `unmanaged` (deploy refuses it;
//     --adopt takes it over);
//   - a live rule or mark claimed by another repository: conflict `owned-elsewhere` (never written);
//   - a live rule with our mark whose id left the repository: delete (deploy applies it with --prune only);
//   - watchlists are created and their metadata updated, never deleted (the sync owns their items).
import { isOwnedBy, SOURCE_KIND } from '../compile/metadata.ts';
import { encodeProvenance, decodeProvenance } from '../feed/provenance.ts';
import type { Workspace } from '../model/workspaces.ts';
import { ruleParentId, watchlistParentId, type DesiredRule, type DesiredState, type DesiredWatchlist } from './desired.ts';
import { diffFields } from './field-diff.ts';
import { normalizeMark, normalizeRule, normalizeWatchlist } from './normalize.ts';
import type { Change, ChangeType, Conflict, FieldChange, LiveAlertRule, LiveMetadata, LiveState, LiveWatchlist, MarkAction, PlannedChange, WorkspacePlan, Write } from './types.ts';
import { compareText } from '../text/compare.ts';

type Props = Record<string, unknown>;

export function planWorkspace(ws: Workspace, desired: DesiredState, live: LiveState, repository: string): WorkspacePlan {
  const marks = indexMarks(live.metadata);
  const rules = new Map(live.alertRules.map((r) => [r.name.toLowerCase(), r]));
  const watchlists = new Map(live.watchlists.map((w) => [w.alias.toLowerCase(), w]));
  const changes: PlannedChange[] = [];

  for (const rule of desired.rules) {
    const parentId = ruleParentId(ws, rule.id);
    changes.push(planRule(rule, rules.get(rule.id), claims(marks, parentId, rule.markName, repository)));
  }
  const wanted = new Set(desired.rules.map((r) => r.id));
  for (const mark of live.metadata) {
    const id = ownedRuleId(ws, mark, repository);
    if (id === undefined || wanted.has(id)) continue;
    const claim = claims(marks, ruleParentId(ws, id), mark.name, repository);
    if (claim.other) continue; // contested: never deleted
    changes.push(planDelete(id, rules.get(id), mark));
  }
  for (const w of desired.watchlists) {
    changes.push(planWatchlist(w, watchlists.get(w.alias.toLowerCase()), claims(marks, watchlistParentId(ws, w.alias), w.markName, repository)));
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

function claims(index: Map<string, LiveMetadata[]>, parentId: string, markName: string, repository: string): Claims {
  const byParent = index.get(`parent:${parentId.toLowerCase()}`) ?? [];
  const byName = index.get(`name:${markName.toLowerCase()}`) ?? [];
  const all = [...new Set([...byParent, ...byName])];
  const ours = all.find((m) => m.name.toLowerCase() === markName.toLowerCase() && isOwnedBy(m.properties, repository)) ?? all.find((m) => isOwnedBy(m.properties, repository));
  const other = all.map((m) => m.properties.source as { kind?: unknown; name?: unknown } | undefined)
    .find((s) => s?.kind === SOURCE_KIND && s.name !== repository);
  return { ours, ...(other ? { other: String(other.name) } : {}) };
}

/** The rule id an owned AnalyticsRule mark points at in this workspace, else undefined. */
function ownedRuleId(ws: Workspace, mark: LiveMetadata, repository: string): string | undefined {
  if (mark.properties.kind !== 'AnalyticsRule' || !isOwnedBy(mark.properties, repository)) return undefined;
  const parentId = typeof mark.properties.parentId === 'string' ? mark.properties.parentId.toLowerCase() : '';
  const prefix = ruleParentId(ws, '').toLowerCase();
  const id = parentId.startsWith(prefix) ? parentId.slice(prefix.length) : '';
  return id && !id.includes('/') ? id : undefined;
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
const UNMARKED_IDENTICAL = 'exists without an ownership mark and equals this repository\'s version: only the mark is written';

function conflictOf(type: ChangeType, id: string, live: boolean, differs: boolean, claim: Claims): Conflict | undefined {
  if (claim.other) {
    return { reason: 'owned-elsewhere', owner: claim.other, message: `${NOUN[type]} ${id} is marked as owned by repository '${claim.other}': not touched` };
  }
  if (live && differs && !claim.ours) {
    return { reason: 'unmanaged', message: `${NOUN[type]} ${id} exists without this repository's ownership mark: deploy refuses it unless run with --adopt` };
  }
  return undefined;
}

/**
 * A rule's or watchlist's Change and writes, once its own diff is known: created when not live,
 * updated when it or its mark differs; the resource's writes before its mark's; nothing written when
 * another repository owns it.
 */
function planned(base: Pick<Change, 'type' | 'id' | 'displayName' | 'file'>, live: boolean, fields: FieldChange[], writes: Write[], mark: MarkPlan, claim: Claims): PlannedChange {
  const differs = fields.length > 0;
  const conflict = conflictOf(base.type, base.id, live, differs, claim);
  const action = !live ? 'create' : differs || mark.mark !== 'noop' ? 'update' : 'noop';
  const change: Change = {
    ...base, action, ...(differs ? { changedFields: fields } : {}),
    mark: mark.mark, ...(mark.markFields ? { markFields: mark.markFields } : {}), ...(conflict ? { conflict } : {}),
    ...(live && !differs && !claim.ours && !claim.other ? { note: UNMARKED_IDENTICAL } : {}),
  };
  return { change, writes: conflict?.reason === 'owned-elsewhere' ? [] : [...writes, ...mark.writes] };
}

function planRule(rule: DesiredRule, live: LiveAlertRule | undefined, claim: Claims): PlannedChange {
  const base = { type: 'alertRule' as const, id: rule.id, displayName: rule.displayName, file: rule.file };
  const fields = live ? diffFields(normalizeRule(live.kind, live.properties), normalizeRule(rule.body.kind, rule.body.properties)) : [];
  const putRule: Write[] = !live || fields.length ? [{ op: 'putRule', id: rule.id, body: rule.body }] : [];
  return planned(base, live !== undefined, fields, putRule, markPlan(rule.markName, rule.mark.properties, claim.ours), claim);
}

function planDelete(id: string, live: LiveAlertRule | undefined, mark: LiveMetadata): PlannedChange {
  const displayName = typeof live?.properties.displayName === 'string' ? live.properties.displayName : undefined;
  const change: Change = { type: 'alertRule', id, action: 'delete', ...(displayName ? { displayName } : {}), mark: 'delete' };
  const writes: Write[] = [...(live ? [{ op: 'deleteRule' as const, id: live.name }] : []), { op: 'deleteMark', name: mark.name }];
  return { change, writes };
}

function planWatchlist(w: DesiredWatchlist, live: LiveWatchlist | undefined, claim: Claims): PlannedChange {
  const mark = markPlan(w.markName, w.mark.properties, claim.ours);
  const base = { type: 'watchlist' as const, id: w.alias, displayName: String(w.body.properties.displayName), file: w.file };
  if (!live) {
    const create: Write = { op: 'putWatchlist', alias: w.alias, body: w.body, create: { header: w.header, ...(w.bootstrapCsv ? { bootstrapCsv: w.bootstrapCsv } : {}) } };
    return planned(base, false, [], [create], mark, claim);
  }
  // The sync's provenance block stays at the end of the description (the human part may be shortened
  // to make room: compare what would be stored, not the definition's text).
  const state = decodeProvenance(typeof live.properties.description === 'string' ? live.properties.description : '').state;
  const description = String(w.body.properties.description ?? '');
  const body = { properties: { ...w.body.properties, description: state ? encodeProvenance(description, state) : description } };
  const fields = diffFields(normalizeWatchlist(live.properties), normalizeWatchlist(body.properties));
  // With the live etag: if the sync rewrote the description (its provenance line) since we read it,
  // the service refuses this PUT rather than let it restore a stale line and undercount the budget.
  const writes: Write[] = fields.length ? [{ op: 'putWatchlist', alias: live.alias, body: live.etag ? { etag: live.etag, ...body } : body }] : [];
  return planned(base, true, fields, writes, mark, claim);
}
