package dev.goldsmith.registry.intake;

import java.util.List;
import java.util.UUID;

/**
 * What intake answered.
 *
 * @param buildId null when the request's id was unreadable
 * @param version the allocated version when accepted
 * @param errors every reason when rejected
 * @param repeated true when the build id had been answered before and the stored answer was
 *     republished
 */
public record IntakeResult(
    UUID buildId, boolean accepted, String version, List<String> errors, boolean repeated) {}
