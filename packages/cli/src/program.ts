import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { version } from '../package.json';
import type { CommandSpec, GlobalOptions } from './command';
import { commands, groups } from './commands/index';
import { contextPairs } from './context';
import { ExitCode, exitCodeHelp } from './errors';
import type { Streams } from './io';
import { OUTPUT_FORMATS, REPORT_FORMATS } from './output/view';

/** Runs one command once commander has parsed its arguments; returns the exit code. */
export type Runner = (spec: CommandSpec, opts: GlobalOptions) => Promise<number>;

const globalOptions = [
  new Option('--profile <name>', 'use this saved profile').env('FLEETOPS_PROFILE'),
  new Option('--server <url>', 'server URL').env('FLEETOPS_SERVER'),
  new Option('--token <token>', 'API token').env('FLEETOPS_TOKEN'),
  new Option('-o, --output <format>', 'output format')
    .choices(OUTPUT_FORMATS)
    .argParser(outputFormat)
    .default('table'),
  new Option('--no-color', 'no colour (also NO_COLOR)'),
  new Option('-q, --quiet', 'no progress or hints on stderr'),
  new Option('--verbose', 'show stack traces of errors'),
  new Option(
    '--context <key=value>',
    'where a change comes from, kept in the activity log, e.g. ticket=CHG-7 (repeatable)',
  ).argParser(contextPairs),
];

/** The choices of `-o`: reports too, which each command that offers one checks it takes (see `addCommand`). */
function outputFormat(value: string): string {
  if (![...OUTPUT_FORMATS, ...REPORT_FORMATS].includes(value as never)) {
    throw new InvalidArgumentError(`Allowed choices are ${OUTPUT_FORMATS.join(', ')}.`);
  }
  return value;
}

/** Builds the commander tree from the command list; each command's action calls `run`. */
export function buildProgram(specs: CommandSpec[], run: Runner, streams: Streams = process): Command {
  const program = new Command('fleetops')
    .description('Operate fleets of managed mobile devices')
    .version(version, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => streams.stdout.write(s), writeErr: (s) => streams.stderr.write(s) })
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', `\n${exitCodeHelp()}\n`);
  for (const option of globalOptions) program.addOption(option);
  for (const spec of specs) addCommand(program, spec, run);
  return program;
}

function addCommand(program: Command, spec: CommandSpec, run: Runner) {
  const words = spec.path.split(' ');
  let parent = program;
  for (let i = 0; i < words.length - 1; i++) {
    const name = words[i]!;
    parent =
      parent.commands.find((c) => c.name() === name) ??
      parent.command(name).description(groups[words.slice(0, i + 1).join(' ')] ?? '');
  }
  const command = parent
    .command(words.at(-1)!)
    .description(spec.summary)
    .aliases(spec.aliases ?? []);
  for (const arg of spec.args ?? []) {
    const name = arg.variadic ? `${arg.name}...` : arg.name;
    command.argument(arg.optional ? `[${name}]` : `<${name}>`, arg.description);
  }
  for (const o of spec.options ?? []) {
    const option = new Option(o.flags, o.description);
    if (o.choices) option.choices(o.choices);
    if (o.parse) option.argParser(o.parse);
    if (o.default !== undefined)
      option.default(o.parse && typeof o.default === 'string' ? o.parse(o.default) : o.default);
    if (o.env) option.env(o.env);
    if (o.required) option.makeOptionMandatory();
    command.addOption(option);
  }
  if (spec.help) command.addHelpText('after', `\n${spec.help}`);
  command.action(async (...params: unknown[]) => {
    const self = params.at(-1) as Command;
    const positional = Object.fromEntries((spec.args ?? []).map((a, i) => [a.name, params[i]]));
    const serverFromEnv = self.getOptionValueSourceWithGlobals('server') === 'env';
    const opts = { ...self.optsWithGlobals<GlobalOptions>(), serverFromEnv, ...positional };
    const report = REPORT_FORMATS.find((format) => format === (opts.output as string));
    if (report && !spec.reportFormats?.includes(report)) {
      self.error(
        `error: option '-o, --output <format>' argument '${report}' is invalid. Allowed choices are ${OUTPUT_FORMATS.join(', ')}.`,
        { exitCode: ExitCode.usage, code: 'commander.invalidArgument' },
      );
    }
    await run(spec, opts);
  });
}

/** Parses `argv`, runs the command, and returns the exit code (2 for any usage error). */
export async function main(argv: string[], run: Runner, streams: Streams = process): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = buildProgram(commands, async (spec, opts) => (exitCode = await run(spec, opts)), streams);
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      const ok = error.code === 'commander.helpDisplayed' || error.code === 'commander.version';
      return ok ? ExitCode.ok : ExitCode.usage;
    }
    throw error;
  }
}
