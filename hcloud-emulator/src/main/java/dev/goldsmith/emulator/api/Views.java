package dev.goldsmith.emulator.api;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.goldsmith.emulator.config.EmulatorConfig;
import dev.goldsmith.emulator.state.ActionState;
import dev.goldsmith.emulator.state.Catalog;
import dev.goldsmith.emulator.state.ImageState;
import dev.goldsmith.emulator.state.Project;
import dev.goldsmith.emulator.state.ServerState;
import dev.goldsmith.emulator.state.SshKeyState;
import dev.goldsmith.emulator.wire.Wire;

/** Turns state into wire objects. Callers hold the project's lock. */
@ApplicationScoped
public class Views {
  private final Catalog catalog;
  private final boolean serverDatacenter;

  public Views(Catalog catalog, EmulatorConfig config) {
    this.catalog = catalog;
    this.serverDatacenter = config.serverDatacenter();
  }

  public Wire.Server server(Project p, ServerState s) {
    Wire.ServerType type = catalog.serverType(s.serverType).orElseThrow();
    Wire.Ipv4 ipv4 = null;
    if (s.hasIpv4) {
      String[] octets = s.ipv4.split("\\.");
      String ptr =
          "static."
              + octets[3]
              + "."
              + octets[2]
              + "."
              + octets[1]
              + "."
              + octets[0]
              + ".clients.your-server.de";
      ipv4 = new Wire.Ipv4(s.ipv4Id, s.ipv4, false, ptr);
    }
    Wire.PublicNet net =
        new Wire.PublicNet(
            ipv4,
            s.hasIpv6 ? new Wire.Ipv6(s.ipv6Id, s.ipv6Network, false, List.of()) : null,
            List.of(),
            List.of());
    return new Wire.Server(
        s.id,
        s.name,
        s.status.wire(),
        Times.format(s.created),
        net,
        List.of(),
        type,
        serverDatacenter ? catalog.datacenterOf(s.location) : null,
        catalog.location(s.location).orElseThrow(),
        imageById(p, s.imageId),
        null,
        s.rescueEnabled,
        s.lockedBy != 0,
        null,
        0L,
        0L,
        Catalog.INCLUDED_TRAFFIC,
        new Wire.Protection(s.protectDelete, s.protectRebuild),
        Map.copyOf(s.labels),
        List.of(),
        List.of(),
        type.disk(),
        null);
  }

  /** The image with this id (system image or one of the project's), or null. */
  public Wire.Image imageById(Project p, long id) {
    ImageState own = p.images.get(id);
    if (own != null) {
      return image(own);
    }
    return catalog.systemImage(id).map(this::systemImage).orElse(null);
  }

  public Wire.Image image(ImageState i) {
    return new Wire.Image(
        i.id,
        i.type,
        i.status,
        null,
        i.description,
        i.imageSize,
        i.diskSize,
        Times.format(i.created),
        i.createdFromId == null ? null : new Wire.CreatedFrom(i.createdFromId, i.createdFromName),
        i.boundTo,
        i.osFlavor,
        i.osVersion,
        false,
        new Wire.ImageProtection(i.protectDelete),
        null,
        null,
        Map.copyOf(i.labels),
        i.architecture);
  }

  public Wire.Image systemImage(Catalog.SystemImage i) {
    return new Wire.Image(
        i.id(),
        "system",
        "available",
        i.name(),
        i.description(),
        null,
        i.diskSize(),
        i.created(),
        null,
        null,
        i.osFlavor(),
        i.osVersion(),
        true,
        new Wire.ImageProtection(false),
        i.deprecated(),
        null,
        Map.of(),
        i.architecture());
  }

  public Wire.Action action(ActionState a) {
    return new Wire.Action(
        a.id,
        a.command,
        a.status,
        a.progress,
        Times.format(a.started),
        Times.format(a.finished),
        a.resources.stream().map(r -> new Wire.ActionResource(r.id(), r.type())).toList(),
        a.errorCode == null ? null : new Wire.ActionError(a.errorCode, a.errorMessage));
  }

  public Wire.SshKey sshKey(SshKeyState k) {
    return new Wire.SshKey(
        k.id, k.name, k.fingerprint, k.publicKey, Map.copyOf(k.labels), Times.format(k.created));
  }
}
