package dev.goldsmith.registry.api;

import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.goldsmith.registry.domain.CloudTaskRepository;
import dev.goldsmith.registry.domain.OutboxRepository;
import dev.goldsmith.registry.installation.Installation;

/** What operators need to see about the registry itself: its installation id and parked work. */
@Path("/api/operations")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "operations")
public class OperationsResource {
  private final OutboxRepository outbox;
  private final CloudTaskRepository tasks;
  private final Installation installation;

  public OperationsResource(
      OutboxRepository outbox, CloudTaskRepository tasks, Installation installation) {
    this.outbox = outbox;
    this.tasks = tasks;
    this.installation = installation;
  }

  @GET
  @Path("/installation")
  @Operation(
      summary =
          "This installation's id: every cloud resource Goldsmith creates carries"
              + " goldsmith.dev/installation=<id>")
  public Map<String, String> installation() {
    return Map.of("installationId", installation.id());
  }

  @GET
  @Path("/parked")
  @Operation(
      summary =
          "Outbox events and cloud tasks given up on (poison at once, others after"
              + " tasks.max-attempts with backoff), each with its reason")
  public Views.Parked parked() {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                new Views.Parked(
                    outbox.parked().stream()
                        .map(
                            o ->
                                new Views.ParkedEvent(
                                    o.id,
                                    o.buildId,
                                    o.eventType,
                                    o.ceId,
                                    o.attempts,
                                    o.parkedAt,
                                    o.parkReason))
                        .toList(),
                    tasks.parked().stream()
                        .map(
                            t ->
                                new Views.ParkedTask(
                                    t.id,
                                    t.kind.name(),
                                    t.family,
                                    t.version,
                                    t.imageId,
                                    t.attempts,
                                    t.parkedAt,
                                    t.lastError))
                        .toList()));
  }
}
