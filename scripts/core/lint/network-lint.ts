// A rule that downloads data at query time (externaldata, the http_request plugins) depends on a
// remote host at every run: a slow or failing host fails the run, and what the rule matches changes
// with a file nobody reviewed. Lists belong in a watchlist kept current by a reviewed sync.
import { argumentsOf, elements, is } from './tree.ts';
import type { Lint, LintContext, LintFinding } from './types.ts';

const HTTP_PLUGINS = new Set(['http_request', 'http_request_post']);

export const networkDependency: Lint = {
  code: 'lint.network-dependency',
  title: 'externaldata or http_request in a rule: a download from a remote host at every run',
  check({ tree }: LintContext): LintFinding[] {
    const findings: LintFinding[] = [];
    for (const node of tree.ofKind('ExternalDataExpression', 'EvaluateOperator')) {
      let what: string | undefined;
      if (is(node, 'ExternalDataExpression')) {
        const uri = elements(node.URIs)[0];
        const literal = uri && typeof uri.LiteralValue === 'string' ? ` ${uri.LiteralValue}` : '';
        what = `externaldata downloads${literal}`;
      } else if (is(node, 'EvaluateOperator') && node.FunctionCall) {
        const name = node.FunctionCall.Name?.SimpleName ?? '';
        if (!HTTP_PLUGINS.has(name)) continue;
        const url = argumentsOf(node.FunctionCall)[0];
        what = `evaluate ${name} calls${url && typeof url.LiteralValue === 'string' ? ` ${url.LiteralValue}` : ' a remote endpoint'}`;
      }
      if (!what) continue;
      findings.push({
        code: networkDependency.code,
        at: { offset: node.TextStart },
        message: `${what} at every run: the rule depends on that host (a slow or failing download fails the run, and once Sentinel's retries are spent that window is never queried again), and what it matches changes with a file nobody reviewed`,
        hint: "Keep the list in a watchlist (watchlists/<alias>.yaml, kept current by sync-watchlist) and read it with _GetWatchlist('<alias>').",
      });
    }
    return findings;
  },
};
