package dev.goldsmith.events;

import java.util.Map;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** What a request may change of its family's defaults. Every field is optional (null). */
public record BuildOverrides(
    @Pattern(regexp = Patterns.VERSION) String version,
    @Size(min = 1, max = 100) String baseImage,
    @Size(min = 1, max = 50) String serverType,
    @Size(min = 1, max = 50) String location,
    NetworkMode networkMode,
    Map<String, Object> extraVars) {

  public static final BuildOverrides NONE = new BuildOverrides(null, null, null, null, null, null);
}
