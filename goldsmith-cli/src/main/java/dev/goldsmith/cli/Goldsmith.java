package dev.goldsmith.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code goldsmith} command: the registry's API and the broker, from a terminal or CI. */
@Command(
    name = "goldsmith",
    mixinStandardHelpOptions = true,
    version = "goldsmith 0.1.0",
    description = "Request and watch golden-image builds, list them, promote, roll back, revoke.",
    footer = {
      "",
      "Examples:",
      "  goldsmith build vault-base --watch",
      "  goldsmith build show 99b5ebd2-4c1e-4b5a-9a43-0d7b1a3e9c11",
      "  goldsmith versions vault-base",
      "  goldsmith rollback vault-base --reason 'vault 1.16 breaks the agent'",
      "  goldsmith family validate ansible/families/vault-base.yml"
    },
    subcommands = {
      BuildCommand.class,
      RegistryCommands.Builds.class,
      RegistryCommands.Versions.class,
      RegistryCommands.Promote.class,
      RegistryCommands.Rollback.class,
      RegistryCommands.Revoke.class,
      FamilyCommand.class,
      CommandLine.HelpCommand.class
    })
public class Goldsmith implements Runnable {
  /** Text for people, JSON for scripts. */
  public enum Output {
    text,
    json
  }

  @Spec CommandSpec spec;

  @Option(
      names = "--registry",
      scope = ScopeType.INHERIT,
      paramLabel = "URL",
      defaultValue = "${env:GOLDSMITH_REGISTRY:-http://127.0.0.1:18081}",
      description = "the registry's base URL (env GOLDSMITH_REGISTRY; default ${DEFAULT-VALUE})")
  String registryUrl;

  @Option(
      names = "--token",
      scope = ScopeType.INHERIT,
      paramLabel = "TOKEN",
      defaultValue = "${env:GOLDSMITH_REGISTRY_TOKEN}",
      description = "bearer token for changes (env GOLDSMITH_REGISTRY_TOKEN); never printed")
  String token;

  @Option(
      names = "--bootstrap-servers",
      scope = ScopeType.INHERIT,
      paramLabel = "HOST:PORT",
      defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:19092}",
      description =
          "Kafka brokers for build requests (env KAFKA_BOOTSTRAP_SERVERS; default ${DEFAULT-VALUE})")
  String bootstrap;

  @Option(
      names = {"-o", "--output"},
      scope = ScopeType.INHERIT,
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text or json (one JSON document on stdout; default ${DEFAULT-VALUE})")
  Output output;

  /** Whether stdout is a terminal (progress bars); tests turn it off. */
  boolean tty = System.console() != null;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command");
  }

  Registry registry() {
    return new Registry(registryUrl, token);
  }

  boolean json() {
    return output == Output.json;
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** Prints a JSON document on stdout. */
  void printJson(JsonNode node) {
    try {
      out()
          .println(
              Registry.JSON
                  .copy()
                  .enable(SerializationFeature.INDENT_OUTPUT)
                  .writeValueAsString(node));
      out().flush();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The root command of the command a subcommand runs in. */
  static Goldsmith root(CommandSpec spec) {
    return (Goldsmith) spec.root().userObject();
  }

  /** Builds the command line with one-line error reporting and the documented exit codes. */
  static CommandLine commandLine(Goldsmith root, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(root);
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.getCommandSpec().usageMessage().footer(concat(cl.getCommandSpec().usageMessage().footer()));
    cl.getSubcommands().get("build").getCommandSpec().usageMessage().footer(ExitCode.HELP);
    cl.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          int code;
          String message;
          if (e instanceof CliException c) {
            code = c.exitCode();
            message = c.getMessage();
          } else {
            code = ExitCode.FAILED_REQUEST;
            message = e.getClass().getSimpleName() + ": " + Registry.oneLine(e.getMessage());
          }
          line.getErr().println("goldsmith: " + message);
          line.getErr().flush();
          return code;
        });
    cl.setParameterExceptionHandler(
        (e, args) -> {
          PrintWriter w = e.getCommandLine().getErr();
          w.println("goldsmith: " + Registry.oneLine(e.getMessage()));
          w.println("(see " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
          w.flush();
          return ExitCode.USAGE;
        });
    return cl;
  }

  private static String[] concat(String[] footer) {
    String[] all = new String[footer.length + ExitCode.HELP.length];
    System.arraycopy(footer, 0, all, 0, footer.length);
    System.arraycopy(ExitCode.HELP, 0, all, footer.length, ExitCode.HELP.length);
    return all;
  }

  /** Runs a command line; returns its exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err, boolean tty) {
    Goldsmith root = new Goldsmith();
    root.tty = tty;
    int code = commandLine(root, out, err).execute(args);
    out.flush();
    err.flush();
    return code;
  }

  public static void main(String[] args) {
    // libraries' logging (Hibernate Validator's banner, the Kafka client) never reaches the
    // terminal:
    // the CLI reports what matters itself, one line each
    System.setProperty("org.jboss.logging.provider", "slf4j");
    java.util.logging.LogManager.getLogManager().reset();
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(run(args, out, err, System.console() != null));
  }
}
