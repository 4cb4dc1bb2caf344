package dev.goldsmith.provisioner.provisioning;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

import dev.goldsmith.events.BuildFailed;
import dev.goldsmith.events.BuildSpec;
import dev.goldsmith.events.Provenance;
import dev.goldsmith.hcloud.model.Image;
import dev.goldsmith.hcloud.model.Server;

/**
 * Per-run state of one build's steps: the ids of what the run created or found, recorded right
 * after the create call and before waiting on its action, so cleanups can find them. Steps run one
 * after another, never concurrently on the same run.
 */
public final class BuildRun {
  private final UUID buildId;
  private final BuildSpec spec;
  private final BuildFailed.Stage stage;

  private volatile OptionalLong serverId = OptionalLong.empty();
  private volatile Server server;
  private volatile OptionalLong imageId = OptionalLong.empty();
  private volatile Image image;
  private volatile List<Long> sshKeyIds = List.of();
  private volatile String hostKey;
  private volatile boolean snapshotReused;
  private volatile Provenance provenance;
  private volatile StepOutcome halt;
  private volatile boolean skipped;
  private final List<BuildFailed.ResourceRef> leftBehind = new ArrayList<>();

  public BuildRun(UUID buildId, BuildSpec spec, BuildFailed.Stage stage) {
    this.buildId = buildId;
    this.spec = spec;
    this.stage = stage;
  }

  public UUID buildId() {
    return buildId;
  }

  public BuildSpec spec() {
    return spec;
  }

  /** The stage a failure of this run is reported under. */
  public BuildFailed.Stage stage() {
    return stage;
  }

  public OptionalLong serverId() {
    return serverId;
  }

  /** Records the builder's id (call it before waiting on the create action). */
  public void serverId(long id) {
    this.serverId = OptionalLong.of(id);
  }

  /** Forgets the builder once it is gone. */
  public void serverGone() {
    this.serverId = OptionalLong.empty();
    this.server = null;
  }

  public Optional<Server> server() {
    return Optional.ofNullable(server);
  }

  public void server(Server latest) {
    this.server = latest;
    this.serverId = OptionalLong.of(latest.id());
  }

  public OptionalLong imageId() {
    return imageId;
  }

  /** Records the snapshot's id (call it before waiting on the create_image action). */
  public void imageId(long id) {
    this.imageId = OptionalLong.of(id);
  }

  public Optional<Image> image() {
    return Optional.ofNullable(image);
  }

  public void image(Image latest) {
    this.image = latest;
    this.imageId = OptionalLong.of(latest.id());
  }

  /** True when the snapshot existed before this run (a redelivery or a restart). */
  public boolean snapshotReused() {
    return snapshotReused;
  }

  public void snapshotReused(boolean reused) {
    this.snapshotReused = reused;
  }

  public List<Long> sshKeyIds() {
    return sshKeyIds;
  }

  public void sshKeyIds(List<Long> ids) {
    this.sshKeyIds = List.copyOf(ids);
  }

  /**
   * What is known of the snapshot's provenance: BuilderConfigured's, then with the source image
   * (null when nothing is known).
   */
  public Provenance provenance() {
    return provenance;
  }

  public void provenance(Provenance p) {
    this.provenance = p;
  }

  /** The builder's public host key ({@code ssh-ed25519 <base64>}), once created or found. */
  public Optional<String> hostKey() {
    return Optional.ofNullable(hostKey);
  }

  public void hostKey(String publicKey) {
    this.hostKey = publicKey;
  }

  /** True once a step halted or failed; cleanups then remove what the run made. */
  public boolean halted() {
    return halt != null;
  }

  public Optional<StepOutcome> halt() {
    return Optional.ofNullable(halt);
  }

  void halt(StepOutcome outcome) {
    this.halt = outcome;
  }

  /**
   * Marks the run as having nothing to do (e.g. the build is already terminal); the remaining steps
   * are skipped without a failure.
   */
  public void skip() {
    this.skipped = true;
  }

  public boolean skipped() {
    return skipped;
  }

  /** Records a resource a cleanup could not remove (reported in BuildFailed). */
  public synchronized void leftBehind(BuildFailed.ResourceRef ref) {
    leftBehind.add(ref);
  }

  public synchronized List<BuildFailed.ResourceRef> leftBehind() {
    return List.copyOf(leftBehind);
  }

  @Override
  public String toString() {
    return "BuildRun[buildId="
        + buildId
        + ", stage="
        + stage
        + ", serverId="
        + serverId
        + ", imageId="
        + imageId
        + ", halted="
        + halted()
        + "]";
  }
}
