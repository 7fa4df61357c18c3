import type { FleetClient } from '@fleetops/sdk';
import type { ProfileStore } from './config';
import type { ClientContext } from './context';
import type { IO } from './io';
import type { CommandResult, OutputFormat, ReportFormat } from './output/view';

/** Flags every command accepts. */
export interface GlobalOptions {
  profile?: string;
  server?: string;
  /** Whether `server` came from `FLEETOPS_SERVER` rather than `--server`, for messages. */
  serverFromEnv?: boolean;
  token?: string;
  output: OutputFormat;
  color: boolean;
  quiet: boolean;
  verbose: boolean;
  /** `--context` pairs, sent with every change on top of what the CI environment says. */
  context?: ClientContext;
}

/** Where a client connects, and with what. */
export interface Credentials {
  server: string;
  token: string;
}

/** What a handler may use besides its options: the test seam. */
export interface Deps {
  io: IO;
  /** The saved profiles. */
  config: ProfileStore;
  /** An SDK client: from `--server`/`--token`, the environment or the profile, unless given explicitly. */
  client: (credentials?: Credentials) => Promise<FleetClient>;
  /** The current time. */
  clock: () => Date;
  /** Asks a question on the terminal and returns the answer (only call when `io.isInteractive()`). */
  ask: (question: string) => Promise<string>;
  /** Renders a result now, for a command that runs on after it has something to show. */
  emit: (result: CommandResult) => Promise<void>;
  /** Resolves when the process is asked to stop (SIGINT or SIGTERM), with the signal's name. */
  untilStopped: () => Promise<string>;
}

/** A command's work: takes parsed options (global ones included) and returns data to render. */
export type Handler<Opts> = (opts: Opts & GlobalOptions, deps: Deps) => Promise<CommandResult>;

/** One option of a command, as commander flags (`--os <os>`). */
export interface OptionSpec {
  flags: string;
  description: string;
  choices?: readonly string[];
  default?: string | boolean;
  /** Environment variable that supplies the value when the flag is absent. */
  env?: string;
  /** Converts and checks the text; throws `InvalidArgumentError` (exit 2) when it is wrong. */
  parse?: (value: string) => unknown;
  required?: boolean;
}

/** One positional argument; its value reaches the handler under `name`. */
export interface ArgSpec {
  name: string;
  description: string;
  optional?: boolean;
  /** Takes every remaining word: the handler gets an array. */
  variadic?: boolean;
}

/** A command as data: where it sits in the tree, what it accepts, and where its handler lives. */
export interface CommandSpec {
  /** Words after `fleetops`, e.g. `devices list`. */
  path: string;
  /** Other names of the last word, e.g. `ls`. */
  aliases?: string[];
  summary: string;
  args?: ArgSpec[];
  options?: OptionSpec[];
  /**
   * Reports `-o` also takes for this command; its handler writes them and returns no result,
   * so `output` in its options may be one of them.
   */
  reportFormats?: readonly ReportFormat[];
  /** Extra help text: examples, notes. */
  help?: string;
  /** Loads the handler on demand, so `--help` and `--version` stay fast. */
  load: () => Promise<{ handler: Handler<never> }>;
}

/** Declares a command; only there to type-check the object. */
export const defineCommand = (spec: CommandSpec): CommandSpec => spec;
