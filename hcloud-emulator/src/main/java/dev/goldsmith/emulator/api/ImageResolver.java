package dev.goldsmith.emulator.api;

import jakarta.enterprise.context.ApplicationScoped;

import dev.goldsmith.emulator.state.Catalog;
import dev.goldsmith.emulator.state.ImageState;
import dev.goldsmith.emulator.state.Project;

/**
 * Finds the image a server is created from or rebuilt to: a project snapshot or backup by id, or a
 * system image of the catalog by id or by name (for the server type's architecture).
 */
@ApplicationScoped
public class ImageResolver {
  private final Catalog catalog;

  public ImageResolver(Catalog catalog) {
    this.catalog = catalog;
  }

  /**
   * An image a server can use.
   *
   * @param id the image id
   * @param systemName the system image at the root of its chain (e.g. {@code debian-12})
   */
  public record ResolvedImage(long id, String systemName) {}

  /**
   * Resolves {@code ref}; an unknown, unavailable or wrong-architecture image is {@code
   * invalid_input} on {@code field}. Caller holds the project's lock.
   */
  public ResolvedImage resolve(Project p, String ref, String arch, String field) {
    if (ref.chars().allMatch(Character::isDigit)) {
      long id = Long.parseLong(ref);
      ImageState own = p.images.get(id);
      if (own != null) {
        if (!own.status.equals("available")) {
          throw ApiException.invalidField(field, "image is not available");
        }
        if (!own.architecture.equals(arch)) {
          throw ApiException.invalidField(field, "image architecture does not match server type");
        }
        return new ResolvedImage(id, own.systemImageName);
      }
      var sys = catalog.systemImage(id);
      if (sys.isPresent()) {
        if (!sys.get().architecture().equals(arch)) {
          throw ApiException.invalidField(field, "image architecture does not match server type");
        }
        return new ResolvedImage(id, sys.get().name());
      }
      throw ApiException.invalidField(field, "image not found: " + ref);
    }
    return catalog.systemImages().stream()
        .filter(i -> i.name().equals(ref) && i.architecture().equals(arch))
        .findFirst()
        .map(i -> new ResolvedImage(i.id(), i.name()))
        .orElseThrow(() -> ApiException.invalidField(field, "image not found: " + ref));
  }

  /** The system image at the root of an image's chain, or null when unknown. */
  public String systemNameOf(Project p, long imageId) {
    ImageState own = p.images.get(imageId);
    if (own != null) {
      return own.systemImageName;
    }
    return catalog.systemImage(imageId).map(Catalog.SystemImage::name).orElse(null);
  }
}
