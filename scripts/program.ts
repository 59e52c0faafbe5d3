// Commander wiring only: flags and environment → typed options → a command → a reporter.
// Commands never see commander; cli.ts renders errors and owns the exit code.
import { Command, InvalidArgumentError, Option } from 'commander';
import { errorCount } from './core/diagnostics.ts';
import { EXIT_FAILURE, EXIT_OK } from './core/errors.ts';
import type { DeployFormat } from './report/deploy.ts';
import type { DiagnosticsFormat, ValidationReport } from './report/diagnostics.ts';
import { styleFor } from './report/style.ts';
import type { SyncFormat } from './report/sync-text.ts';
import { DEFAULT_DEADLINE_MS, describeMs, parseDeadline } from './core/deadline.ts';

// Only what every run needs is imported above (commander and a few small modules). A command's
// implementation and its reporters, and with them the Azure SDK, Kusto.Language and ajv, are imported
// inside its action: `--help` and usage errors load none of them, validate never loads the Azure SDK
// (test/cli/lazy-load.test.ts checks both).

export interface ProgramContext {
  /** Repository root (where rules/, watchlists/ and workspaces.yaml are). */
  root: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout(text: string): void;
  stderr(text: string): void;
  isTTY: boolean;
  /** The clock (default: the real one); tests that run the CLI in a child process pass theirs. */
  now?: () => Date;
}

const ALLOW_TOKEN_HOST = '--allow-token-host <host>';
const ALLOW_TOKEN_HOST_HELP =
  'also send SENTINEL_ACCESS_TOKEN to this armEndpoint host (by default only Azure Resource Manager hosts and loopback); repeatable';

export function buildProgram(ctx: ProgramContext, setExitCode: (code: number) => void): Command {
  const program = new Command()
    .name('npm run cli --')
    .description('Sentinel detection content as code: validate, build, plan, deploy and sync watchlists.')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => ctx.stdout(s), writeErr: (s) => ctx.stderr(s) })
    .exitOverride();

  const style = styleFor(ctx.isTTY, ctx.env);
  const collect = (value: string, previous: string[] = []) => [...previous, value];
  // The Azure SDK's own logs (AZURE_LOG_LEVEL) go through ctx.stderr, i.e. cli.ts's redactor.
  const routeSdkLogs = async () => (await import('./azure/logging.ts')).routeSdkLogs(ctx.stderr);
  const formatOption = (choices: string[]) => new Option('--format <format>', 'output format').choices(choices).default('text');
  // The whole run's time limit: requests in flight and retry waits end, nothing more is written.
  const deadlineOption = () =>
    new Option(
      '--deadline <duration>',
      `stop the run after this long: 90s, 30m, 2h (default ${describeMs(DEFAULT_DEADLINE_MS)})`,
    ).argParser((value: string) => {
      const ms = parseDeadline(value);
      if (ms === undefined) throw new InvalidArgumentError('expected a whole number of seconds, minutes or hours up to 24h: 90s, 30m, 2h.');
      return ms;
    });

  program
    .command('validate')
    .description('check rules, watchlists and workspaces.yaml: YAML, schema, cross-field, cross-file, KQL, result columns, parameters')
    .argument('[paths...]', 'files or folders to report on (default: the whole repository)')
    .option('--config <file>', 'workspaces file', undefined)
    .option(
      '--base <git-ref>',
      'pull requests: also fail when a rule id changed, was reused, or a rule was deleted without being retired (compared with this revision)',
    )
    .addOption(formatOption(['text', 'json', 'github']))
    .action(async (paths: string[], options: { config?: string; base?: string; format: DiagnosticsFormat }) => {
      const { validateCommand } = await import('./commands/validate.ts');
      const { renderValidation } = await import('./report/diagnostics.ts');
      const result = await validateCommand({ root: ctx.root, config: options.config, paths, base: options.base });
      ctx.stdout(renderValidation(result, options.format, style));
      setExitCode(errorCount(result.diagnostics) ? EXIT_FAILURE : EXIT_OK);
    });

  program
    .command('build')
    .description('validate everything, then compile REST payloads and ARM templates into out/ (offline)')
    .option('--out <dir>', 'output folder, replaced as a whole: never the repository or its sources, only a folder build created', 'out')
    .option('--allow-outside', 'let --out point outside the repository (after symbolic links are resolved)', false)
    .option('--env <name>', 'also compile one set per workspace of this environment, overrides applied')
    .option('--config <file>', 'workspaces file', undefined)
    .option('--base <git-ref>', 'also run the id checks of validate --base against this revision')
    .addOption(formatOption(['text', 'json', 'github']))
    .action(
      async (options: { out: string; allowOutside: boolean; env?: string; config?: string; base?: string; format: DiagnosticsFormat }) => {
        const { buildCommand } = await import('./commands/build.ts');
        const { renderValidation } = await import('./report/diagnostics.ts');
        const result = await buildCommand({
          root: ctx.root,
          out: options.out,
          allowOutside: options.allowOutside,
          env: options.env,
          config: options.config,
          base: options.base,
        });
        ctx.stdout(renderValidation(result, options.format, style));
        if (result.written.length) ctx.stderr(`wrote ${result.written.length} files to ${result.out}\n`);
        setExitCode(errorCount(result.diagnostics) ? EXIT_FAILURE : EXIT_OK);
      },
    );

  program
    .command('sync-watchlist')
    .description('keep a feed-backed watchlist (IPsum) current in every workspace of an environment with minimal, guarded item writes')
    .argument('<alias>', 'watchlist alias (watchlists/<alias>.yaml with a feed: block)')
    .requiredOption('--env <name>', 'environment in workspaces.yaml')
    .option('--config <file>', 'workspaces file', undefined)
    .option('--feed <https-url|file>', 'download the feed from here instead of feed.url (a local file is accepted)')
    .option('--dry-run', "print the plan (and the guards' verdict); write nothing", false)
    .option(
      '--full',
      'diff against the live items even when the feed is unchanged (after editing minScore, exitScore, scoreThresholds or allowList)',
      false,
    )
    .option('--workspace <name...>', 'only these workspaces (names from workspaces.yaml; * and ? match; repeat or comma-separate)')
    .option(ALLOW_TOKEN_HOST, ALLOW_TOKEN_HOST_HELP, collect)
    .addOption(deadlineOption())
    .addOption(formatOption(['text', 'json', 'markdown']))
    .action(
      async (
        alias: string,
        options: {
          env: string;
          config?: string;
          feed?: string;
          dryRun: boolean;
          full: boolean;
          workspace?: string[];
          allowTokenHost?: string[];
          deadline?: number;
          format: SyncFormat;
        },
      ) => {
        const { defaultSyncDeps, syncWatchlistCommand } = await import('./commands/sync-watchlist.ts');
        await routeSdkLogs();
        const { syncFailed } = await import('./core/sync/result.ts');
        const { renderSync } = await import('./report/sync-text.ts');
        const { progressReporter } = await import('./report/progress.ts');
        const progress = progressReporter(ctx.stderr, ctx.isTTY, 'sync', undefined, options.dryRun);
        const result = await syncWatchlistCommand(
          {
            root: ctx.root,
            alias,
            env: options.env,
            config: options.config,
            feed: options.feed,
            dryRun: options.dryRun,
            full: options.full,
            workspaces: options.workspace,
            githubRepository: ctx.env.GITHUB_REPOSITORY,
            tokenHosts: { env: ctx.env, allowed: options.allowTokenHost },
            deadlineMs: options.deadline,
          },
          defaultSyncDeps(ctx.env, progress, ctx.now, options.allowTokenHost),
        ).finally(() => progress.close());
        ctx.stdout(renderSync(result, options.format, style));
        setExitCode(syncFailed(result) ? EXIT_FAILURE : EXIT_OK);
      },
    );

  // plan / deploy (Azure access through scripts/azure; see docs/deploy.md)
  const count = (flag: string) => (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError(`${flag} must be a whole number from 1 to 64.`);
    return n;
  };
  const reportDiagnostics = async (report: ValidationReport) => {
    if (report.diagnostics.length === 0) return;
    const { renderValidation } = await import('./report/diagnostics.ts');
    ctx.stderr(renderValidation(report, 'text', style));
  };
  // The workspaces plan and deploy act on: an environment, narrowed by name/glob and by shard.
  const withSelection = (command: Command) =>
    command
      .requiredOption('--env <name>', 'environment in workspaces.yaml')
      .option('--config <file>', 'workspaces file', undefined)
      .option('--workspace <name|glob>', 'only these workspaces (repeat or comma-separate; * and ? match)', collect)
      .option('--shard <i/n>', 'only shard i of n (1-based) of the selected workspaces, sorted by name, dealt round-robin')
      .option(ALLOW_TOKEN_HOST, ALLOW_TOKEN_HOST_HELP, collect)
      .addOption(deadlineOption());
  withSelection(
    program
      .command('plan')
      .description(
        'show what deploy would change in each workspace: create, update (field diffs), delete (owned rules that left the repository), unchanged',
      ),
  )
    .addOption(formatOption(['text', 'json', 'markdown']))
    .action(
      async (options: {
        env: string;
        config?: string;
        workspace?: string[];
        shard?: string;
        allowTokenHost?: string[];
        deadline?: number;
        format: 'text' | 'json' | 'markdown';
      }) => {
        const { planCommand } = await import('./commands/plan.ts');
        await routeSdkLogs();
        const report = await planCommand({
          root: ctx.root,
          env: options.env,
          config: options.config,
          workspace: options.workspace,
          shard: options.shard,
          processEnv: ctx.env,
          allowTokenHosts: options.allowTokenHost,
          deadlineMs: options.deadline,
        });
        await reportDiagnostics(report);
        if (errorCount(report.diagnostics) === 0) {
          if (options.format === 'json') ctx.stdout((await import('./report/plan-json.ts')).renderPlanJson(report));
          else if (options.format === 'markdown') ctx.stdout((await import('./report/plan-markdown.ts')).renderPlanMarkdown(report));
          else ctx.stdout((await import('./report/plan-text.ts')).renderPlanText(report, style));
        }
        setExitCode(errorCount(report.diagnostics) || report.workspaces.some((w) => w.error) ? EXIT_FAILURE : EXIT_OK);
      },
    );

  withSelection(
    program
      .command('deploy')
      .description(
        'apply the plan: create and update only what differs (rule first, its ownership mark after); --prune also deletes owned rules that left the repository',
      ),
  )
    .option('--prune', 'also delete rules this repository deployed and no longer contains (never anything without its mark)', false)
    .option('--dry-run', 'print the plan; write nothing', false)
    .option('--adopt', 'take over rules and watchlists with our ids that carry no ownership mark (refused otherwise)', false)
    .option('--concurrency <n>', 'requests in flight per workspace', count('--concurrency'), 4)
    .option('--workspace-concurrency <n>', 'workspaces deployed at once', count('--workspace-concurrency'), 4)
    .addOption(formatOption(['text', 'json', 'markdown']))
    .action(
      async (options: {
        env: string;
        config?: string;
        prune: boolean;
        dryRun: boolean;
        adopt: boolean;
        workspace?: string[];
        shard?: string;
        allowTokenHost?: string[];
        deadline?: number;
        concurrency: number;
        workspaceConcurrency: number;
        format: DeployFormat;
      }) => {
        const { deployCommand } = await import('./commands/deploy.ts');
        await routeSdkLogs();
        const { progressReporter } = await import('./report/progress.ts');
        const progress = progressReporter(ctx.stderr, ctx.isTTY, 'deploy', undefined, options.dryRun);
        const report = await deployCommand(
          {
            root: ctx.root,
            env: options.env,
            config: options.config,
            workspace: options.workspace,
            shard: options.shard,
            processEnv: ctx.env,
            deadlineMs: options.deadline,
            allowTokenHosts: options.allowTokenHost,
            prune: options.prune,
            dryRun: options.dryRun,
            adopt: options.adopt,
            concurrency: options.concurrency,
            workspaceConcurrency: options.workspaceConcurrency,
          },
          { progress },
        ).finally(() => progress.close());
        await reportDiagnostics(report);
        if (errorCount(report.diagnostics) === 0) {
          const { renderDeploy } = await import('./report/deploy.ts');
          ctx.stdout(renderDeploy(report, options.format, style));
        }
        setExitCode(errorCount(report.diagnostics) || report.workspaces.some((w) => w.status === 'failed') ? EXIT_FAILURE : EXIT_OK);
      },
    );

  // schema pull (docs/tables-and-functions.md, "Workspace schema snapshots")
  const schema = program
    .command('schema')
    .description("workspace schema snapshots: what each workspace's tables, functions and watchlists are");
  schema
    .command('pull')
    .description(
      "read each workspace's tables (custom _CL included), saved functions and watchlists through ARM and write schemas/workspaces/<workspace>.json",
    )
    .requiredOption('--env <name>', 'environment in workspaces.yaml')
    .option('--config <file>', 'workspaces file', undefined)
    .option('--workspace <name|glob>', 'only these workspaces (repeat or comma-separate; * and ? match)', collect)
    .option(ALLOW_TOKEN_HOST, ALLOW_TOKEN_HOST_HELP, collect)
    .addOption(formatOption(['text', 'json']))
    .action(async (options: { env: string; config?: string; workspace?: string[]; allowTokenHost?: string[]; format: 'text' | 'json' }) => {
      const { defaultSchemaPullDeps, schemaPullCommand } = await import('./commands/schema-pull.ts');
      await routeSdkLogs();
      const result = await schemaPullCommand(
        { root: ctx.root, env: options.env, config: options.config, workspace: options.workspace },
        defaultSchemaPullDeps(ctx.env, options.allowTokenHost),
      );
      ctx.stdout(
        options.format === 'json'
          ? `${JSON.stringify(result, null, 2)}\n`
          : (await import('./report/schema-pull.ts')).renderSchemaPull(result, style),
      );
      setExitCode(result.workspaces.some((w) => w.status === 'failed') ? EXIT_FAILURE : EXIT_OK);
    });

  // lock / import (docs/content-format.md, "Version lock" and "import")
  program
    .command('lock')
    .description(
      "validate, then record every rule's version and compiled-content hash in rules/rules.lock.json (deleted rules become retired)",
    )
    .option('--config <file>', 'workspaces file', undefined)
    .option('--retire-reason <why>', 'reason recorded for rules that no longer exist (required when there are any)')
    .addOption(formatOption(['text', 'json']))
    .action(async (options: { config?: string; retireReason?: string; format: 'text' | 'json' }) => {
      const { lockCommand } = await import('./commands/lock.ts');
      const { renderValidation } = await import('./report/diagnostics.ts');
      const { renderLockSummary } = await import('./report/lock.ts');
      const result = await lockCommand({ root: ctx.root, config: options.config, retireReason: options.retireReason });
      if (options.format === 'json') ctx.stdout(`${JSON.stringify(result, null, 2)}\n`);
      else {
        if (result.diagnostics.length) ctx.stdout(renderValidation(result, 'text', style));
        if (errorCount(result.diagnostics) === 0) ctx.stdout(renderLockSummary(result));
      }
      setExitCode(errorCount(result.diagnostics) ? EXIT_FAILURE : EXIT_OK);
    });
  program
    .command('import')
    .description(
      "convert Sentinel ARM exports and Azure-Sentinel YAML rules, or the rules live in a workspace (--from-workspace), into this repository's rule files",
    )
    .argument('[files...]', 'ARM templates (.json) and Azure-Sentinel rules (.yaml)')
    .option('--from-workspace <name>', 'adopt the alert rules live in this workspace (its name in workspaces.yaml; with --env)')
    .option('--env <name>', 'environment of --from-workspace in workspaces.yaml')
    .option('--config <file>', 'workspaces file', undefined)
    .addOption(
      new Option('--group-by <key>', 'with --from-workspace: the folder under --out each rule goes to')
        .choices(['table', 'tactic', 'none'])
        .default('table'),
    )
    .option('--out <dir>', 'folder for the rule files', 'rules')
    .option('--force', 'overwrite existing files', false)
    .addOption(formatOption(['text', 'json']))
    .action(
      async (
        files: string[],
        options: {
          out: string;
          force: boolean;
          fromWorkspace?: string;
          env?: string;
          config?: string;
          groupBy: 'table' | 'tactic' | 'none';
          format: 'text' | 'json';
        },
      ) => {
        const { importCommand, workspaceImportDeps } = await import('./commands/import.ts');
        const { renderImport } = await import('./report/import.ts');
        const deps = options.fromWorkspace === undefined ? undefined : await workspaceImportDeps(ctx.env);
        const result = await importCommand(
          {
            root: ctx.root,
            files,
            out: options.out,
            force: options.force,
            fromWorkspace: options.fromWorkspace,
            env: options.env,
            config: options.config,
            groupBy: options.groupBy,
          },
          deps,
        );
        ctx.stdout(options.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : renderImport(result));
        setExitCode(result.refused.length ? EXIT_FAILURE : EXIT_OK);
      },
    );

  // catalog-update (docs/tables-and-functions.md, "Updating the catalog")
  program
    .command('catalog-update')
    .description(
      "regenerate schemas/catalog/ (every standard table, ASIM and solution functions) from Microsoft's published CSV reference data",
    )
    .argument('<csv...>', 'source CSV files; for tables, a later file wins over an earlier one table by table')
    .option('--allow-drops', 'accept an update that drops many tables (refused otherwise)', false)
    .action(async (files: string[], options: { allowDrops: boolean }) => {
      const { catalogUpdateCommand } = await import('./commands/catalog-update.ts');
      const { renderCatalogUpdate } = await import('./report/catalog.ts');
      const result = await catalogUpdateCommand({ root: ctx.root, files, allowDrops: options.allowDrops });
      ctx.stdout(renderCatalogUpdate(result));
      setExitCode(result.refused ? EXIT_FAILURE : EXIT_OK);
    });

  // mitre-update (docs/validate.md, "MITRE ATT&CK map")
  program
    .command('mitre-update')
    .description('regenerate the MITRE ATT&CK technique → tactics map (scripts/core/data/mitre.ts) from a github.com/mitre/cti checkout')
    .argument('<checkout>', 'folder of a mitre/cti checkout (enterprise-attack/, ics-attack/)')
    .requiredOption('--attack-version <vN.N>', 'the ATT&CK release the checkout holds (its commit message says), e.g. v18.1')
    .action(async (checkout: string, options: { attackVersion: string }) => {
      const { mitreUpdateCommand } = await import('./commands/mitre-update.ts');
      const r = await mitreUpdateCommand({ root: ctx.root, checkout, attackVersion: options.attackVersion });
      ctx.stdout(
        `ATT&CK ${options.attackVersion}: ${r.techniques} techniques, ${r.retired} revoked or deprecated\n` +
          `added: ${r.added.join(', ') || 'none'}\nremoved: ${r.removed.join(', ') || 'none'}\n` +
          `changed tactics: ${r.changed.length ? `\n  ${r.changed.join('\n  ')}` : 'none'}\nwrote ${r.written}\n`,
      );
      setExitCode(EXIT_OK);
    });

  return program;
}
