package dev.goldsmith.configurator.configuring;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

import dev.goldsmith.configurator.ansible.AddressSelector;
import dev.goldsmith.configurator.ansible.AnsibleSshArgs;
import dev.goldsmith.configurator.ansible.HostKeyFailure;
import dev.goldsmith.configurator.ansible.Inventory;
import dev.goldsmith.configurator.ansible.KnownHosts;
import dev.goldsmith.configurator.ansible.PlaybookCommand;
import dev.goldsmith.configurator.ansible.PlaybookExecutor;
import dev.goldsmith.configurator.ansible.PlaybookReport;
import dev.goldsmith.configurator.ansible.PlaybookRunner;
import dev.goldsmith.configurator.ansible.PrivateFiles;
import dev.goldsmith.configurator.ansible.RunCancelledException;
import dev.goldsmith.configurator.ansible.SshMasters;
import dev.goldsmith.configurator.ansible.UnsafeExtraVars;
import dev.goldsmith.configurator.provenance.AnsibleProvenance;
import dev.goldsmith.events.BuildSpec;
import dev.goldsmith.events.BuilderConfigured;
import dev.goldsmith.events.BuilderConfigured.Outcome;
import dev.goldsmith.events.BuilderReady;
import dev.goldsmith.events.EventCodec;
import dev.goldsmith.events.ExtraVarsPolicy;
import dev.goldsmith.events.Provenance;
import dev.goldsmith.support.ssh.SshKeyFile;

/**
 * Configures one builder: checks the spec, writes the per-build working directory (inventory, extra
 * vars, known_hosts), runs the playbook and turns the callback's record into a BuilderConfigured,
 * which is persisted in the working directory before it is returned. A build whose outcome is
 * recorded is never run again: its recorded event is returned as is (the image_hygiene role removed
 * the configurator's key, so a second run could not even log in).
 */
public final class BuilderConfigurator {
  /** The recorded outcome in a build's working directory. */
  public static final String OUTCOME_FILE = "outcome.json";

  private static final Logger LOG = Logger.getLogger(BuilderConfigurator.class);
  private static final int MAX_MESSAGE = 2000;
  private static final long LOCK_POLL_MS = 1000;

  /**
   * Fixed settings.
   *
   * @param ansibleDir the ansible/ tree
   * @param playbookCommand ansible-playbook executable
   * @param workRoot parent of the per-build working directories
   * @param logRoot parent of the per-build log directories
   * @param controlRoot parent of the per-run ssh socket directories (short path)
   * @param remoteUser login user on builders
   * @param port sshd port on builders
   * @param hygieneKeysVariable the variable naming the build keys image_hygiene removes
   * @param timeout playbook timeout (for the message of a killed run)
   */
  public record Settings(
      Path ansibleDir,
      String playbookCommand,
      Path workRoot,
      Path logRoot,
      Path controlRoot,
      String remoteUser,
      int port,
      String hygieneKeysVariable,
      Duration timeout) {}

  /** How a configure call ended. */
  public enum Kind {
    /** The playbook ran (whatever its outcome). */
    RAN,
    /** The spec was refused before anything ran. */
    REFUSED,
    /** The build's outcome was already recorded; that event is returned again. */
    RECORDED
  }

  /**
   * The event to publish and how it came about.
   *
   * @param duration playbook wall time (zero unless {@code kind} is RAN)
   */
  public record Result(BuilderConfigured event, Kind kind, Duration duration) {}

  private final Settings settings;
  private final SshKeyFile key;
  private final AddressSelector addresses;
  private final PlaybookExecutor executor;
  private final Clock clock;
  private final Path callbackPluginDir;
  private final String baseSshArgs;

  public BuilderConfigurator(
      Settings settings,
      SshKeyFile key,
      AddressSelector addresses,
      PlaybookExecutor executor,
      Clock clock)
      throws IOException {
    this.settings = settings;
    this.key = key;
    this.addresses = addresses;
    this.executor = executor;
    this.clock = clock;
    this.callbackPluginDir = installCallbackPlugin(settings.workRoot());
    this.baseSshArgs = AnsibleSshArgs.of(settings.ansibleDir());
  }

  /** The recorded outcome of a build, if its run finished before. */
  public java.util.Optional<BuilderConfigured> recorded(UUID buildId) throws IOException {
    Path file = workDir(buildId).resolve(OUTCOME_FILE);
    if (!Files.exists(file)) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        EventCodec.fromJson(Files.readString(file), BuilderConfigured.class));
  }

  /**
   * Configures the builder of {@code ready}, or returns the recorded outcome.
   *
   * @param lines receives the playbook's output lines as they arrive
   */
  public Result configure(BuilderReady ready, Consumer<String> lines)
      throws IOException, InterruptedException {
    // One run of a build at a time across the instances that share this work directory (two
    // instances on one machine; during a rebalance the old owner may still run the build when the
    // new owner receives it): the second waits, then finds the recorded outcome.
    Files.createDirectories(settings.workRoot());
    try (FileChannel channel =
            FileChannel.open(
                settings.workRoot().resolve(ready.buildId() + ".lock"),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = lockBuild(channel, ready.buildId(), lines)) {
      return configureLocked(ready, lines);
    }
  }

  /** Waits for the build's lock, held by another process while it configures the build. */
  private FileLock lockBuild(FileChannel channel, UUID buildId, Consumer<String> lines)
      throws IOException, InterruptedException {
    boolean told = false;
    while (true) {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (java.nio.channels.OverlappingFileLockException e) {
        lock = null; // held by another thread of this process
      }
      if (lock != null) {
        return lock;
      }
      if (executor.cancelled()) {
        throw new RunCancelledException("shutting down: still waiting for the build's lock");
      }
      if (!told) {
        lines.accept("build " + buildId + " is being configured by another instance; waiting");
        told = true;
      }
      Thread.sleep(LOCK_POLL_MS);
    }
  }

  private Result configureLocked(BuilderReady ready, Consumer<String> lines)
      throws IOException, InterruptedException {
    var recorded = recorded(ready.buildId());
    if (recorded.isPresent()) {
      return new Result(recorded.get(), Kind.RECORDED, Duration.ZERO);
    }
    // 0700: the build's variables and logs are nobody else's business.
    Path dir = PrivateFiles.directory(workDir(ready.buildId()));
    BuildSpec spec = ready.spec();

    List<String> refused = ExtraVarsPolicy.problems(spec.extraVars());
    if (!refused.isEmpty()) {
      return refuse(ready, "extra vars refused: " + String.join("; ", refused));
    }
    Path playbook;
    try {
      playbook = resolvePlaybook(spec.playbook());
    } catch (IllegalArgumentException e) {
      return refuse(ready, e.getMessage());
    }
    AddressSelector.Selection selection =
        addresses.select(spec.networkMode(), ready.ipv4(), ready.ipv6());
    if (!selection.ok()) {
      return refuse(ready, "no address to configure the builder on: " + selection.problem());
    }

    // The builder's key as the provisioner generated it, pinned before the first connection (no
    // trust on first use); rewritten for every attempt, so nothing else ever stands there.
    Path knownHosts = dir.resolve("known_hosts");
    try {
      KnownHosts.write(knownHosts, List.of(selection.address()), settings.port(), ready.hostKey());
    } catch (IllegalArgumentException e) {
      return refuse(ready, "cannot pin the builder's host key: " + e.getMessage());
    }
    Inventory inventory =
        new Inventory(
            "builder-" + ready.serverId(),
            selection.address(),
            settings.port(),
            settings.remoteUser(),
            key.privateKeyFile(),
            knownHosts,
            baseSshArgs);
    Path inventoryFile = dir.resolve("inventory.yml");
    inventory.write(inventoryFile);
    // Request values are data: every string is !unsafe, so Ansible never templates it.
    Path specVars = dir.resolve("extra-vars.yml");
    UnsafeExtraVars.write(specVars, spec.extraVars());
    Path ownVars = dir.resolve("goldsmith-vars.json");
    Map<String, Object> own =
        Map.of(settings.hygieneKeysVariable(), List.of(key.publicKey().keyOnly()));
    PrivateFiles.write(ownVars, EventCodec.mapper().writeValueAsBytes(own));
    // What this run is made of, in the order it is passed; recorded with the outcome.
    Provenance provenance = provenance(playbook, List.of(spec.extraVars(), own));

    int attempt = nextAttempt(ready.buildId());
    Path logFile = logDir(ready.buildId()).resolve("run-" + attempt + ".log");
    Path eventsFile = dir.resolve("events-" + attempt + ".jsonl");
    Path tmp = dir.resolve("tmp");
    Files.createDirectories(tmp);
    Path controlDir =
        settings.controlRoot().resolve(ready.buildId().toString().substring(0, 8) + "-" + attempt);
    Files.createDirectories(controlDir);
    PlaybookCommand command =
        new PlaybookCommand(
            settings.playbookCommand(),
            settings.ansibleDir(),
            playbook,
            inventoryFile,
            // The service's own variables come last so a spec cannot override them.
            List.of(specVars, ownVars),
            callbackPluginDir,
            eventsFile,
            controlDir,
            tmp);

    Files.writeString(
        logFile.getParent().resolve("run-" + attempt + ".cmd"),
        String.join(" ", command.arguments()) + "\n",
        StandardCharsets.UTF_8);
    PlaybookRunner.Result run;
    try {
      lines.accept(
          "address="
              + selection.address().literal()
              + " family="
              + selection.address().family()
              + " attempt="
              + attempt);
      run = executor.run(command, dir, logFile, lines);
    } finally {
      SshMasters.closeAll(controlDir);
    }
    PlaybookReport report = PlaybookReport.read(eventsFile);
    BuilderConfigured event = toEvent(ready, run, report, provenance);
    record(ready.buildId(), event);
    return new Result(event, Kind.RAN, run.duration());
  }

  /**
   * The provenance of a run; null (and a warning) when the files cannot be read: provenance never
   * fails a build.
   */
  private Provenance provenance(Path playbook, List<Object> vars) {
    try {
      return AnsibleProvenance.of(settings.ansibleDir(), playbook, vars);
    } catch (RuntimeException e) {
      LOG.warnf(e, "cannot compute the provenance of the run of %s", playbook);
      return null;
    }
  }

  /** Maps a finished run to its event (without provenance). */
  BuilderConfigured toEvent(BuilderReady ready, PlaybookRunner.Result run, PlaybookReport report) {
    return toEvent(ready, run, report, null);
  }

  /** Maps a finished run to its event, carrying {@code provenance}. */
  BuilderConfigured toEvent(
      BuilderReady ready, PlaybookRunner.Result run, PlaybookReport report, Provenance provenance) {
    String logRef = run.logFile().toAbsolutePath().toUri().toString();
    int changed = report.changedCount();
    if (run.timedOut()) {
      return event(
          ready,
          Outcome.FAILED,
          BuilderConfigured.PLAYBOOK_TIMEOUT,
          report.lastStartedTask(),
          "ansible-playbook did not finish within "
              + settings.timeout()
              + "; its process tree was killed",
          changed,
          logRef,
          provenance);
    }
    if (run.exitCode() == 0) {
      return event(ready, Outcome.OK, null, null, null, changed, logRef, provenance);
    }
    var fatal = report.firstFatal();
    if (fatal.isPresent()) {
      var t = fatal.get();
      if ("unreachable".equals(t.status()) && HostKeyFailure.isHostKeyRefused(t.message())) {
        return event(
            ready,
            Outcome.FAILED,
            BuilderConfigured.HOST_KEY_MISMATCH,
            t.task(),
            "host key refused: the builder did not present the pinned key "
                + ready.hostKey()
                + (t.message() == null ? "" : ": " + t.message()),
            changed,
            logRef,
            provenance);
      }
      boolean unreachable = "unreachable".equals(t.status());
      String what = unreachable ? "host unreachable" : "task failed";
      String msg = t.message() == null ? what : what + ": " + t.message();
      return event(
          ready,
          Outcome.FAILED,
          unreachable ? BuilderConfigured.BUILDER_UNREACHABLE : BuilderConfigured.PLAYBOOK_FAILED,
          t.task(),
          msg,
          changed,
          logRef,
          provenance);
    }
    String tail = String.join("\n", run.tail());
    return event(
        ready,
        Outcome.FAILED,
        HostKeyFailure.isHostKeyRefused(tail)
            ? BuilderConfigured.HOST_KEY_MISMATCH
            : BuilderConfigured.PLAYBOOK_FAILED,
        null,
        "ansible-playbook exited with code " + run.exitCode() + ": " + tail.trim(),
        changed,
        logRef,
        provenance);
  }

  private Result refuse(BuilderReady ready, String reason) throws IOException {
    BuilderConfigured event =
        event(ready, Outcome.FAILED, BuilderConfigured.REFUSED, null, reason, 0, null, null);
    record(ready.buildId(), event);
    return new Result(event, Kind.REFUSED, Duration.ZERO);
  }

  private BuilderConfigured event(
      BuilderReady ready,
      Outcome outcome,
      String reasonClass,
      String failedTask,
      String message,
      int changed,
      String logRef,
      Provenance provenance) {
    String m = message;
    if (m != null && m.length() > MAX_MESSAGE) {
      m = m.substring(0, MAX_MESSAGE) + "…";
    }
    return new BuilderConfigured(
        ready.buildId(),
        ready.spec(),
        ready.serverId(),
        outcome,
        failedTask,
        m,
        reasonClass,
        changed,
        logRef,
        provenance,
        clock.instant());
  }

  /** Writes the outcome atomically: a crash leaves either no outcome or the whole one. */
  private void record(UUID buildId, BuilderConfigured event) throws IOException {
    Path dir = workDir(buildId);
    Path tmp = dir.resolve(OUTCOME_FILE + ".tmp");
    Files.writeString(tmp, EventCodec.toJson(event));
    Files.move(
        tmp,
        dir.resolve(OUTCOME_FILE),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * The playbook file for a spec's playbook name: relative, inside the ansible/ tree, a .yml or
   * .yaml file that exists.
   */
  Path resolvePlaybook(String name) {
    Path root = settings.ansibleDir().toAbsolutePath().normalize();
    Path p = Path.of(name);
    if (p.isAbsolute()) {
      throw new IllegalArgumentException("playbook must be relative to the ansible/ tree: " + name);
    }
    Path resolved = root.resolve(p).normalize();
    if (!resolved.startsWith(root)) {
      throw new IllegalArgumentException("playbook leaves the ansible/ tree: " + name);
    }
    String file = resolved.getFileName().toString();
    if (!file.endsWith(".yml") && !file.endsWith(".yaml")) {
      throw new IllegalArgumentException("playbook is not a .yml file: " + name);
    }
    if (!Files.isRegularFile(resolved)) {
      throw new IllegalArgumentException("playbook " + name + " does not exist in " + root);
    }
    return resolved;
  }

  public Path workDir(UUID buildId) {
    return settings.workRoot().resolve(buildId.toString());
  }

  private Path logDir(UUID buildId) throws IOException {
    return PrivateFiles.directory(settings.logRoot().resolve(buildId.toString()));
  }

  private int nextAttempt(UUID buildId) throws IOException {
    try (Stream<Path> files = Files.list(logDir(buildId))) {
      return 1
          + (int) files.filter(f -> f.getFileName().toString().matches("run-\\d+\\.log")).count();
    }
  }

  /** Copies the callback plugin shipped in this jar to a directory Ansible can load it from. */
  private static Path installCallbackPlugin(Path workRoot) throws IOException {
    Path dir = workRoot.resolve(".callback_plugins");
    Files.createDirectories(dir);
    String name = PlaybookCommand.CALLBACK_NAME + ".py";
    try (InputStream in =
        BuilderConfigurator.class.getResourceAsStream("/ansible/callback_plugins/" + name)) {
      if (in == null) {
        throw new IllegalStateException("callback plugin " + name + " is missing from the jar");
      }
      Path tmp = dir.resolve(name + ".tmp");
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
    return dir;
  }
}
