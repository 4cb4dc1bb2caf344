package dev.goldsmith.provisioner.janitor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import dev.goldsmith.events.Ownership;
import dev.goldsmith.hcloud.label.LabelSelector;
import dev.goldsmith.provisioner.cloud.Cloud;
import dev.goldsmith.provisioner.config.ProvisionerConfig;
import dev.goldsmith.support.cloud.GoldsmithLabels;
import dev.goldsmith.support.messaging.BuildMdc;

/**
 * Reaps servers and SSH keys labelled {@code goldsmith.dev/managed=true} and {@code
 * goldsmith.dev/installation=<goldsmith.installation-id>} by {@link ReapDecision}, from durable
 * state: it asks the registry ({@link RegistryLookup}) about each build id it finds, reaps the
 * resources of terminal builds at once, of builds the registry does not know only once older (label
 * {@code created-at}, else {@code created}) than their role's TTL, and never those of a build the
 * registry has in progress, whatever their age. When the registry cannot be asked it reaps nothing
 * that carries a build id that round. The in-memory {@link TerminalBuilds} only spares a lookup.
 * Never touches a resource without both labels (an operator's, another installation's) or the
 * long-lived service keys (role configurator/verifier) unless configured. Without {@code
 * goldsmith.installation-id} it touches nothing. Each deletion is logged with its reason and
 * counted in {@code goldsmith.janitor.deletions} (tags {@code kind}, {@code reason}, {@code
 * dry_run}).
 */
@ApplicationScoped
public class Janitor {

  /** Why a resource is reaped. */
  public enum Reason {
    BUILD_TERMINAL("build_terminal"),
    TTL_EXPIRED("ttl_expired");

    private final String tag;

    Reason(String tag) {
      this.tag = tag;
    }

    public String tag() {
      return tag;
    }
  }

  /** One resource the janitor deleted (or would delete in dry-run mode). */
  public record Deletion(
      String kind, long id, String name, Reason reason, String detail, UUID buildId) {}

  private final Cloud cloud;
  private final ProvisionerConfig config;
  private final TerminalBuilds terminal;
  private final RegistryLookup lookup;
  private final MeterRegistry registry;
  private final Clock clock;
  private final Optional<String> installationId;

  public Janitor(
      Cloud cloud,
      ProvisionerConfig config,
      TerminalBuilds terminal,
      RegistryLookup lookup,
      MeterRegistry registry,
      @ConfigProperty(name = "goldsmith.installation-id") Optional<String> installationId) {
    this.cloud = cloud;
    this.config = config;
    this.terminal = terminal;
    this.lookup = lookup;
    this.registry = registry;
    this.clock = Clock.systemUTC();
    this.installationId = installationId.map(String::trim).filter(s -> !s.isEmpty());
  }

  /** Resources this installation owns (and, when given, of one build). */
  private Optional<String> ownedSelector(UUID buildId) {
    if (installationId.isEmpty()) {
      Log.warn("janitor touches nothing: goldsmith.installation-id is not set");
      return Optional.empty();
    }
    LabelSelector.Builder b =
        LabelSelector.builder()
            .eq(GoldsmithLabels.MANAGED, "true")
            .eq(GoldsmithLabels.INSTALLATION, installationId.get());
    if (buildId != null) {
      b.eq(GoldsmithLabels.BUILD_ID, buildId.toString());
    }
    return Optional.of(b.build().toString());
  }

  @Scheduled(
      every = "${goldsmith.provisioner.janitor.interval:5m}",
      delayed = "${goldsmith.provisioner.janitor.interval:5m}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Disabled.class)
  Uni<Void> scheduledSweep() {
    return sweep()
        .onFailure()
        .recoverWithItem(
            e -> {
              Log.warnf("janitor sweep failed, next sweep retries: %s", e.getMessage());
              return List.of();
            })
        .replaceWithVoid();
  }

  /** One pass over every managed server and SSH key. */
  public Uni<List<Deletion>> sweep() {
    Instant now = clock.instant();
    Optional<String> selector = ownedSelector(null);
    if (selector.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    return cloud
        .servers(selector.get())
        .chain(
            servers -> {
              List<Candidate> candidates = new ArrayList<>();
              servers.forEach(
                  s ->
                      candidates.add(
                          new Candidate("server", s.id(), s.name(), s.labels(), s.created())));
              return cloud
                  .sshKeys(selector.get())
                  .map(
                      keys -> {
                        keys.forEach(
                            k ->
                                candidates.add(
                                    new Candidate(
                                        "ssh_key", k.id(), k.name(), k.labels(), k.created())));
                        return candidates;
                      });
            })
        .chain(candidates -> reap(candidates, now));
  }

  /** Reaps what belongs to a build that just became terminal (called by the janitor consumer). */
  public Uni<List<Deletion>> reapBuild(UUID buildId) {
    Optional<String> owned = ownedSelector(buildId);
    if (owned.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    String selector = owned.get();
    Instant now = clock.instant();
    return cloud
        .servers(selector)
        .chain(
            servers ->
                cloud
                    .sshKeys(selector)
                    .map(
                        keys -> {
                          List<Candidate> c = new ArrayList<>();
                          servers.forEach(
                              s ->
                                  c.add(
                                      new Candidate(
                                          "server", s.id(), s.name(), s.labels(), s.created())));
                          keys.forEach(
                              k ->
                                  c.add(
                                      new Candidate(
                                          "ssh_key", k.id(), k.name(), k.labels(), k.created())));
                          return c;
                        }))
        .chain(c -> reap(c, now));
  }

  private Uni<List<Deletion>> reap(List<Candidate> candidates, Instant now) {
    return knowledge(candidates)
        .chain(
            known -> {
              List<Deletion> verdicts = new ArrayList<>();
              for (Candidate c : candidates) {
                judge(c, now, known).ifPresent(verdicts::add);
              }
              if (verdicts.isEmpty()) {
                return Uni.createFrom().item(List.<Deletion>of());
              }
              return Multi.createFrom()
                  .iterable(verdicts)
                  .onItem()
                  .transformToUniAndConcatenate(this::delete)
                  .collect()
                  .asList()
                  .map(list -> list.stream().flatMap(Optional::stream).toList());
            });
  }

  /**
   * What the registry says of every build the candidates belong to, asked once per build and round;
   * builds this process saw end are not asked (terminal stays terminal).
   */
  private Uni<Map<UUID, BuildKnowledge>> knowledge(List<Candidate> candidates) {
    Set<UUID> ask = new LinkedHashSet<>();
    for (Candidate c : candidates) {
      if (Ownership.owned(c.labels(), installationId.orElse(null))) {
        GoldsmithLabels.buildId(c.labels())
            .filter(id -> !terminal.isTerminal(id))
            .ifPresent(ask::add);
      }
    }
    Map<UUID, BuildKnowledge> known = new ConcurrentHashMap<>();
    if (ask.isEmpty()) {
      return Uni.createFrom().item(known);
    }
    return Multi.createFrom()
        .iterable(ask)
        .onItem()
        .transformToUniAndConcatenate(id -> lookup.lookup(id).invoke(k -> known.put(id, k)))
        .collect()
        .asList()
        .map(
            all -> {
              long unavailable =
                  known.values().stream().filter(k -> k == BuildKnowledge.UNAVAILABLE).count();
              if (unavailable > 0) {
                Log.warnf(
                    "janitor round without the registry for %d of %d builds: their resources are"
                        + " kept (fail safe) registry=%s",
                    unavailable, known.size(), lookup.url());
              }
              return known;
            });
  }

  /** Decides whether a resource is reaped and why; empty means it stays. */
  Optional<Deletion> judge(Candidate c, Instant now, Map<UUID, BuildKnowledge> known) {
    Map<String, String> labels = c.labels();
    if (!Ownership.owned(labels, installationId.orElse(null))) {
      return Optional.empty();
    }
    String role = labels.getOrDefault(GoldsmithLabels.ROLE, "");
    boolean service =
        role.equals(GoldsmithLabels.ROLE_CONFIGURATOR)
            || role.equals(GoldsmithLabels.ROLE_VERIFIER);
    if (service && !config.janitor().includeServiceKeys()) {
      return Optional.empty();
    }
    Optional<UUID> buildId = GoldsmithLabels.buildId(labels);
    boolean knownTerminal = buildId.map(terminal::isTerminal).orElse(false);
    BuildKnowledge registry =
        buildId.map(id -> known.getOrDefault(id, BuildKnowledge.UNAVAILABLE)).orElse(null);
    Optional<Duration> ttl = ttl(role, service);
    Optional<Duration> age =
        GoldsmithLabels.createdAt(labels)
            .or(() -> Optional.ofNullable(c.created()).map(OffsetDateTime::toInstant))
            .map(created -> Duration.between(created, now));
    ReapDecision.Verdict verdict =
        ReapDecision.decide(buildId.isPresent(), knownTerminal, registry, age, ttl);
    switch (verdict) {
      case REAP_TERMINAL:
        return Optional.of(
            new Deletion(
                c.kind(),
                c.id(),
                c.name(),
                Reason.BUILD_TERMINAL,
                "build " + buildId.get() + " is terminal" + (knownTerminal ? "" : " (registry)"),
                buildId.get()));
      case REAP_TTL:
        return Optional.of(
            new Deletion(
                c.kind(),
                c.id(),
                c.name(),
                Reason.TTL_EXPIRED,
                "role "
                    + role
                    + " age "
                    + age.get().toMinutes()
                    + "m exceeds ttl "
                    + ttl.get().toMinutes()
                    + "m"
                    + (buildId.isPresent() ? ", build unknown to the registry" : ""),
                buildId.orElse(null)));
      default:
        if (registry == BuildKnowledge.ACTIVE) {
          Log.debugf("janitor keeps kind=%s id=%d: build %s is active", c.kind(), c.id(), buildId);
        }
        return Optional.empty();
    }
  }

  private Optional<Duration> ttl(String role, boolean service) {
    if (service) {
      return Optional.of(config.janitor().serviceKeyTtl());
    }
    return switch (role) {
      case GoldsmithLabels.ROLE_BUILDER -> Optional.of(config.janitor().builderTtl());
      case GoldsmithLabels.ROLE_TEST -> Optional.of(config.janitor().testTtl());
      default -> Optional.empty();
    };
  }

  private Uni<Optional<Deletion>> delete(Deletion d) {
    // A resource of a build: every line about it carries the build id.
    return BuildMdc.call(d.buildId() == null ? null : d.buildId().toString(), () -> deleteNow(d));
  }

  private Uni<Optional<Deletion>> deleteNow(Deletion d) {
    boolean dry = config.janitor().dryRun();
    Counter.builder("goldsmith.janitor.deletions")
        .description("Managed resources the janitor deleted (or would delete in dry-run mode)")
        .tag("kind", d.kind())
        .tag("reason", d.reason().tag())
        .tag("dry_run", Boolean.toString(dry))
        .register(registry)
        .increment();
    if (dry) {
      Log.infof(
          "janitor would delete (dry run) kind=%s id=%d name=%s reason=%s detail=%s",
          d.kind(), d.id(), d.name(), d.reason().tag(), d.detail());
      return Uni.createFrom().item(Optional.of(d));
    }
    Log.infof(
        "janitor deleting kind=%s id=%d name=%s reason=%s detail=%s",
        d.kind(), d.id(), d.name(), d.reason().tag(), d.detail());
    Uni<Void> call =
        d.kind().equals("server")
            ? cloud.deleteServerAndWaitGone(
                d.id(), config.snapshot().deleteTimeout(), config.pollInterval())
            : cloud.deleteSshKey(d.id());
    return call.replaceWith(Optional.of(d))
        .onFailure()
        .recoverWithItem(
            e -> {
              BuildMdc.run(
                  d.buildId() == null ? null : d.buildId().toString(),
                  () ->
                      Log.warnf(
                          "janitor could not delete kind=%s id=%d, next sweep retries: %s",
                          d.kind(), d.id(), e.getMessage()));
              return Optional.empty();
            });
  }

  /** A managed resource as the janitor sees it. */
  record Candidate(
      String kind, long id, String name, Map<String, String> labels, OffsetDateTime created) {}

  /** Skips the scheduled sweep when the janitor is disabled. */
  @ApplicationScoped
  public static class Disabled implements Scheduled.SkipPredicate {
    private final ProvisionerConfig config;

    public Disabled(ProvisionerConfig config) {
      this.config = config;
    }

    @Override
    public boolean test(io.quarkus.scheduler.ScheduledExecution execution) {
      return !config.janitor().enabled();
    }
  }
}
