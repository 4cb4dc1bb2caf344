package dev.goldsmith.emulator.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestPath;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;

import dev.goldsmith.emulator.api.ErrorMappers;
import dev.goldsmith.emulator.backend.InvalidRuleException;
import dev.goldsmith.emulator.backend.ServerBackend;
import dev.goldsmith.emulator.backend.ServerFaultRule;
import dev.goldsmith.emulator.state.Project;
import dev.goldsmith.emulator.state.Store;

/** The control API under {@code /_emulator}; see docs/emulator.md. No token is needed. */
@Path("/_emulator")
@Produces(MediaType.APPLICATION_JSON)
public class ControlResource {
  private final Faults faults;
  private final Counters counters;
  private final RateLimiter rateLimiter;
  private final Store store;
  private final ServerBackend backend;
  private final ObjectMapper mapper;
  private final dev.goldsmith.emulator.action.ActionEngine engine;

  public ControlResource(
      Faults faults,
      Counters counters,
      RateLimiter rateLimiter,
      Store store,
      ServerBackend backend,
      ObjectMapper mapper,
      dev.goldsmith.emulator.action.ActionEngine engine) {
    this.engine = engine;
    this.faults = faults;
    this.counters = counters;
    this.rateLimiter = rateLimiter;
    this.store = store;
    this.backend = backend;
    this.mapper = mapper;
  }

  @GET
  @Path("/health")
  public Map<String, Object> health() {
    return Map.of("status", "ok", "backend", backend.name());
  }

  @GET
  @Path("/faults")
  public Map<String, Object> faults() {
    return Map.of("faults", faults.list());
  }

  @POST
  @Path("/faults")
  public Response addFault(String body) {
    try {
      return Response.status(201).entity(faults.add(object(body))).build();
    } catch (IllegalArgumentException | ClassCastException e) {
      return bad(e);
    }
  }

  @DELETE
  @Path("/faults")
  public Response clearFaults() {
    faults.clear();
    return Response.noContent().build();
  }

  @DELETE
  @Path("/faults/{id}")
  public Response removeFault(@RestPath String id) {
    return faults.remove(id)
        ? Response.noContent().build()
        : ErrorMappers.envelope(404, "not_found", "no fault rule " + id, null);
  }

  @GET
  @Path("/server-faults")
  public Map<String, Object> serverFaults() {
    return Map.of("faults", backend.faults().stream().map(ServerFaultRule::toMap).toList());
  }

  @POST
  @Path("/server-faults")
  public Response addServerFault(String body) {
    try {
      return Response.status(201).entity(backend.addFault(object(body)).toMap()).build();
    } catch (UnsupportedOperationException e) {
      return ErrorMappers.envelope(501, "not_supported", e.getMessage(), null);
    } catch (IllegalArgumentException | ClassCastException e) {
      return bad(e);
    }
  }

  @DELETE
  @Path("/server-faults")
  public Response clearServerFaults() {
    backend.clearFaults(null);
    return Response.noContent().build();
  }

  @DELETE
  @Path("/server-faults/{id}")
  public Response removeServerFault(@RestPath String id) {
    backend.clearFaults(id);
    return Response.noContent().build();
  }

  @GET
  @Path("/counters")
  public Map<String, Object> counters() {
    return counters.snapshot();
  }

  @DELETE
  @Path("/counters")
  public Response resetCounters() {
    counters.reset();
    return Response.noContent().build();
  }

  @GET
  @Path("/rate-limit")
  public Map<String, Object> rateLimit() {
    return rateLimiter.settings();
  }

  @POST
  @Path("/rate-limit")
  public Response configureRateLimit(String body) {
    try {
      Map<String, Object> m = object(body);
      for (String k : m.keySet()) {
        if (!List.of("enabled", "limit", "refill_per_second").contains(k)) {
          throw new IllegalArgumentException("unknown field " + k);
        }
      }
      rateLimiter.configure(
          (Boolean) m.get("enabled"),
          m.get("limit") == null ? null : ((Number) m.get("limit")).intValue(),
          m.get("refill_per_second") == null
              ? null
              : ((Number) m.get("refill_per_second")).doubleValue());
      return Response.ok(rateLimiter.settings()).build();
    } catch (IllegalArgumentException | ClassCastException e) {
      return bad(e);
    }
  }

  @GET
  @Path("/action-durations")
  public Map<String, Long> actionDurations() {
    return engine.durationsMillis();
  }

  /** Sets minimum durations in milliseconds per action command, e.g. {"start_server": 2000}. */
  @POST
  @Path("/action-durations")
  public Response setActionDurations(String body) {
    try {
      Map<String, java.time.Duration> durations = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : object(body).entrySet()) {
        if (!(e.getValue() instanceof Number n) || n.longValue() < 0) {
          throw new IllegalArgumentException(e.getKey() + " must be a number of milliseconds");
        }
        durations.put(e.getKey(), java.time.Duration.ofMillis(n.longValue()));
      }
      engine.overrideDurations(durations);
      return Response.ok(engine.durationsMillis()).build();
    } catch (IllegalArgumentException | ClassCastException e) {
      return bad(e);
    }
  }

  @DELETE
  @Path("/action-durations")
  public Response clearActionDurations() {
    engine.clearOverrides();
    return Response.noContent().build();
  }

  @GET
  @Path("/state")
  public JsonNode state() {
    return store.dump();
  }

  /**
   * Forgets every server, image, SSH key and action (servers and images are removed from the
   * backend too), every fault rule, the counters and the rate-limit buckets.
   */
  @POST
  @Path("/reset")
  public Response reset() {
    List<Long> servers = new ArrayList<>();
    List<Long> images = new ArrayList<>();
    for (Project p : store.projects().values()) {
      synchronized (p) {
        servers.addAll(p.servers.keySet());
        images.addAll(p.images.keySet());
      }
    }
    store.reset();
    for (long id : servers) {
      try {
        backend.delete(id);
      } catch (RuntimeException e) {
        Log.warnf("reset: backend could not delete server %d: %s", id, e.getMessage());
      }
    }
    for (long id : images) {
      try {
        backend.deleteImage(id);
      } catch (RuntimeException e) {
        Log.warnf("reset: backend could not delete image %d: %s", id, e.getMessage());
      }
    }
    faults.clear();
    engine.clearOverrides();
    backend.clearFaults(null);
    counters.reset();
    rateLimiter.reset();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("servers_removed", servers.size());
    out.put("images_removed", images.size());
    return Response.ok(out).build();
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> object(String body) {
    try {
      Object v = mapper.readValue(body == null || body.isBlank() ? "{}" : body, Object.class);
      if (!(v instanceof Map)) {
        throw new IllegalArgumentException("a JSON object is required");
      }
      return (Map<String, Object>) v;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("invalid JSON");
    }
  }

  /** 400 invalid_input; a rule's problems are listed per field, as the Hetzner API does. */
  private static Response bad(RuntimeException e) {
    Object details = null;
    if (e instanceof InvalidRuleException invalid) {
      details =
          Map.of(
              "fields",
              invalid.fields().entrySet().stream()
                  .map(f -> Map.of("name", f.getKey(), "messages", f.getValue()))
                  .toList());
    }
    return ErrorMappers.envelope(400, "invalid_input", e.getMessage(), details);
  }
}
