// The CLI surface as registered in scripts/program.ts: command names, their options, whether an option
// takes a value and its allowed values. Built from the real program, so the workflow checks follow the
// code rather than a copy of it.
import { buildProgram } from '../../scripts/program.ts';

export interface OptionSpec {
  takesValue: boolean;
  choices?: readonly string[];
}

export interface CommandSpec {
  name: string;
  /** Keyed by flag as written: `--env`, `-e`. */
  options: ReadonlyMap<string, OptionSpec>;
}

export function cliSpec(): Map<string, CommandSpec> {
  const program = buildProgram({ root: process.cwd(), env: {}, stdout: () => {}, stderr: () => {}, isTTY: false }, () => {});
  const spec = new Map<string, CommandSpec>();
  for (const command of program.commands) {
    const options = new Map<string, OptionSpec>([
      ['--help', { takesValue: false }],
      ['-h', { takesValue: false }],
    ]);
    for (const option of command.options) {
      const entry: OptionSpec = {
        takesValue: option.required || option.optional,
        ...(option.argChoices ? { choices: option.argChoices } : {}),
      };
      if (option.long) options.set(option.long, entry);
      if (option.short) options.set(option.short, entry);
    }
    for (const name of [command.name(), ...command.aliases()]) spec.set(name, { name: command.name(), options });
  }
  return spec;
}
