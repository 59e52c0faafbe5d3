// Job-summary glue until deploy and sync-watchlist have `--format markdown`: renders the CLI's JSON
// result ({"workspaces": [{"name", ...}]}) as a Markdown table, one row per workspace. Nested objects
// become `key.sub` columns (e.g. budget.used), lists of changes become counts per action, other lists
// their length. Columns: the given comma-separated list (absent values stay empty), else all of them.
// Usage: node .github/scripts/summary-table.mjs <result.json> <title> [col,col.sub,…] >> "$GITHUB_STEP_SUMMARY"
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const escape = (value) => String(value ?? '').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function cell(value) {
  if (!Array.isArray(value)) return escape(value !== null && typeof value === 'object' ? JSON.stringify(value) : value);
  const actions = value.map((item) => item?.action).filter((action) => typeof action === 'string');
  if (!value.length || actions.length < value.length) return String(value.length);
  const counts = new Map();
  for (const action of actions) counts.set(action, (counts.get(action) ?? 0) + 1);
  return [...counts.keys()].sort().map((action) => `${action} ${counts.get(action)}`).join(', ');
}

function flatten(row) {
  return Object.fromEntries(
    Object.entries(row).flatMap(([key, value]) =>
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? Object.entries(value).map(([sub, inner]) => [`${key}.${sub}`, inner])
        : [[key, value]],
    ),
  );
}

/**
 * @param {string} json the CLI's result, or '' when it wrote none
 * @param {string} title
 * @param {string[]} [wanted] columns to show, in this order
 */
export function summaryTable(json, title, wanted) {
  let rows;
  try {
    rows = JSON.parse(json).workspaces;
  } catch {
    rows = undefined;
  }
  if (!Array.isArray(rows)) return `### ${title}\n\nNo result: the command stopped before writing one; see the job log.\n`;
  if (!rows.length) return `### ${title}\n\nNo workspace in this run.\n`;
  const flat = rows.map(flatten);
  const columns = wanted?.length ? wanted : [...new Set(flat.flatMap((row) => Object.keys(row)))];
  return [
    `### ${title}`,
    '',
    `| ${columns.map(escape).join(' | ')} |`,
    `|${columns.map(() => ' --- |').join('')}`,
    ...flat.map((row) => `| ${columns.map((column) => cell(row[column])).join(' | ')} |`),
    '',
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [file, title = 'Result', columns = ''] = process.argv.slice(2);
  let json = '';
  try {
    json = readFileSync(file ?? '', 'utf8');
  } catch {
    json = '';
  }
  process.stdout.write(summaryTable(json, title, columns.split(',').filter(Boolean)));
}
