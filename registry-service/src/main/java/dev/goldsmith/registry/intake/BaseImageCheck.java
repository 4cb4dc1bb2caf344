package dev.goldsmith.registry.intake;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.goldsmith.events.Ownership;
import dev.goldsmith.hcloud.HcloudClient;
import dev.goldsmith.hcloud.model.Architecture;
import dev.goldsmith.hcloud.model.Image;
import dev.goldsmith.hcloud.model.ImageQuery;
import dev.goldsmith.hcloud.model.ImageStatus;
import dev.goldsmith.hcloud.model.ImageType;
import dev.goldsmith.hcloud.model.ServerType;
import dev.goldsmith.registry.installation.Installation;

/**
 * Whether a build may start from its base image, asked of the cloud at intake: the image exists, is
 * a system (or app) image or a snapshot this installation owns, is available, and has the server
 * type's architecture. A name (e.g. {@code debian-12}) resolves the way Hetzner does when it
 * creates a server: the image of that name for the server type's architecture. Blocking; the
 * client's retries apply, and its exceptions mean "ask again later".
 */
@ApplicationScoped
public class BaseImageCheck {
  private final HcloudClient hcloud;
  private final Installation installation;

  public BaseImageCheck(HcloudClient hcloud, Installation installation) {
    this.hcloud = hcloud;
    this.installation = installation;
  }

  /**
   * Every problem with {@code baseImage} for {@code serverType}; empty when a server can be built
   * from it. An unknown server type yields nothing here (the placement check reports it).
   */
  public List<String> problems(String baseImage, String serverType) {
    List<String> errors = new ArrayList<>();
    Optional<ServerType> type = hcloud.serverTypes().getByNameAndAwait(serverType);
    if (type.isEmpty()) {
      return errors;
    }
    Architecture arch = type.get().architecture();
    Optional<Image> image;
    if (baseImage.matches("^[0-9]{1,18}$")) {
      image =
          hcloud.images().getAndAwait(Long.parseLong(baseImage)).filter(i -> i.deleted() == null);
      if (image.isEmpty()) {
        errors.add("baseImage: image " + baseImage + " does not exist");
        return errors;
      }
    } else {
      List<Image> named =
          hcloud
              .images()
              .allAndAwait(ImageQuery.all().withName(baseImage).withIncludeDeprecated(true));
      if (named.isEmpty()) {
        errors.add("baseImage: no image is named '" + baseImage + "'");
        return errors;
      }
      image = named.stream().filter(i -> i.architecture() == arch).findFirst();
      if (image.isEmpty()) {
        errors.add(
            "baseImage: '"
                + baseImage
                + "' has no "
                + arch.wireValue()
                + " image for server type '"
                + serverType
                + "' (only "
                + String.join(
                    ", ", named.stream().map(i -> i.architecture().wireValue()).sorted().toList())
                + ")");
        return errors;
      }
    }
    Image i = image.get();
    String what = "baseImage: image " + i.id() + " ('" + baseImage + "')";
    if (i.type() == ImageType.SNAPSHOT) {
      if (!ownedByThisInstallation(i)) {
        errors.add(what + " is a snapshot this installation does not own");
      }
    } else if (i.type() != ImageType.SYSTEM && i.type() != ImageType.APP) {
      errors.add(
          what + " is a " + i.type().wireValue() + " image; only system images and own snapshots");
    }
    if (i.status() != ImageStatus.AVAILABLE) {
      errors.add(what + " is " + i.status().wireValue() + ", not available");
    }
    if (i.architecture() != arch) {
      errors.add(
          what
              + " is built for "
              + i.architecture().wireValue()
              + ", server type '"
              + serverType
              + "' is "
              + arch.wireValue());
    }
    return errors;
  }

  /**
   * Whether a snapshot is this installation's own: {@code goldsmith.dev/managed=true} and {@code
   * goldsmith.dev/installation=<this installation's id>} ({@link Ownership}).
   */
  public boolean ownedByThisInstallation(Image snapshot) {
    return Ownership.owned(snapshot.labels(), installation.id());
  }
}
