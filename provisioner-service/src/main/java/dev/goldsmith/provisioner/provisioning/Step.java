package dev.goldsmith.provisioner.provisioning;

import io.smallrye.mutiny.Uni;

/**
 * One small step of a build, with its own cleanup (after packer-plugin-hcloud's multistep). Steps
 * are stateless beans; per-run ids live in the {@link BuildRun}.
 */
public interface Step {

  /** Short name for logs and metrics, e.g. {@code create-builder}. */
  String name();

  /**
   * Does the work. Returns {@link StepOutcome#proceed()} to go on, or a halt; a failed {@code Uni}
   * halts the run too.
   */
  Uni<StepOutcome> run(BuildRun run);

  /**
   * Undoes what {@link #run} left behind when the run must not keep it. Called in reverse order for
   * every step that started, whether the run halted or not; it decides from {@code run} (e.g.
   * {@link BuildRun#halted()}) whether anything is to be done, and must return early if nothing was
   * created.
   */
  default Uni<Void> cleanup(BuildRun run) {
    return Uni.createFrom().voidItem();
  }
}
