// Commander wiring only: flags and environment → typed options → a command → a reporter.
// Commands never see commander; cli.ts renders errors and owns the exit code.
import { Command, Option } from 'commander';
import { errorCount } from './core/diagnostics.ts';
import { EXIT_FAILURE, EXIT_OK } from './core/errors.ts';
import { buildCommand } from './commands/build.ts';
import { validateCommand } from './commands/validate.ts';
import { renderValidation, type DiagnosticsFormat } from './report/diagnostics.ts';
import { styleFor } from './report/style.ts';

export interface ProgramContext {
  /** Repository root (where rules/, watchlists/ and workspaces.yaml are). */
  root: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout(text: string): void;
  stderr(text: string): void;
  isTTY: boolean;
}

export function buildProgram(ctx: ProgramContext, setExitCode: (code: number) => void): Command {
  const program = new Command()
    .name('npm run cli --')
    .description('Sentinel detection content as code: validate, build, plan, deploy and sync watchlists.')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => ctx.stdout(s), writeErr: (s) => ctx.stderr(s) })
    .exitOverride();

  const style = styleFor(ctx.isTTY, ctx.env);
  const formatOption = (choices: string[]) => new Option('--format <format>', 'output format').choices(choices).default('text');

  program
    .command('validate')
    .description('check rules, watchlists and workspaces.yaml: YAML, schema, cross-field, cross-file, KQL, result columns, parameters')
    .argument('[paths...]', 'files or folders to report on (default: the whole repository)')
    .option('--config <file>', 'workspaces file', undefined)
    .addOption(formatOption(['text', 'json', 'github']))
    .action(async (paths: string[], options: { config?: string; format: DiagnosticsFormat }) => {
      const result = await validateCommand({ root: ctx.root, config: options.config, paths });
      ctx.stdout(renderValidation(result, options.format, style));
      setExitCode(errorCount(result.diagnostics) ? EXIT_FAILURE : EXIT_OK);
    });

  program
    .command('build')
    .description('validate everything, then compile REST payloads and ARM templates into out/ (offline)')
    .option('--out <dir>', 'output folder', 'out')
    .option('--env <name>', 'also compile one set per workspace of this environment, overrides applied')
    .option('--config <file>', 'workspaces file', undefined)
    .addOption(formatOption(['text', 'json', 'github']))
    .action(async (options: { out: string; env?: string; config?: string; format: DiagnosticsFormat }) => {
      const result = await buildCommand({ root: ctx.root, out: options.out, env: options.env, config: options.config });
      ctx.stdout(renderValidation(result, options.format, style));
      if (result.written.length) ctx.stderr(`wrote ${result.written.length} files to ${result.out}\n`);
      setExitCode(errorCount(result.diagnostics) ? EXIT_FAILURE : EXIT_OK);
    });

  return program;
}
