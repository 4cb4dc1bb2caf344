package dev.goldsmith.provisioner.provisioning.steps;

import java.time.Duration;

import io.smallrye.mutiny.Uni;

import dev.goldsmith.hcloud.label.LabelSelector;
import dev.goldsmith.hcloud.model.SshKey;
import dev.goldsmith.provisioner.cloud.Cloud;
import dev.goldsmith.provisioner.cloud.WaitTimeoutException;
import dev.goldsmith.provisioner.provisioning.BuildRun;
import dev.goldsmith.provisioner.provisioning.Step;
import dev.goldsmith.provisioner.provisioning.StepOutcome;
import dev.goldsmith.support.cloud.GoldsmithLabels;

/**
 * Finds the configurator's SSH public key(s) by label {@code goldsmith.dev/role=configurator},
 * waiting a little for a configurator that is still starting; halts with {@code ssh_key_missing}.
 */
public final class ResolveConfiguratorKeys implements Step {
  static final String SELECTOR =
      LabelSelector.builder()
          .eq(GoldsmithLabels.ROLE, GoldsmithLabels.ROLE_CONFIGURATOR)
          .build()
          .toString();

  private final Cloud cloud;
  private final Duration wait;
  private final Duration poll;

  public ResolveConfiguratorKeys(Cloud cloud, Duration wait, Duration poll) {
    this.cloud = cloud;
    this.wait = wait;
    this.poll = poll;
  }

  @Override
  public String name() {
    return "resolve-configurator-keys";
  }

  @Override
  public Uni<StepOutcome> run(BuildRun run) {
    return Cloud.pollUntil(
            () -> cloud.sshKeys(SELECTOR), keys -> !keys.isEmpty(), poll, wait, "configurator key")
        .map(
            keys -> {
              run.sshKeyIds(keys.stream().map(SshKey::id).sorted().toList());
              return StepOutcome.proceed();
            })
        .onFailure(WaitTimeoutException.class)
        .recoverWithItem(
            e ->
                StepOutcome.halt(
                    "ssh_key_missing",
                    "no SSH key labelled goldsmith.dev/role=configurator after " + wait,
                    e));
  }
}
