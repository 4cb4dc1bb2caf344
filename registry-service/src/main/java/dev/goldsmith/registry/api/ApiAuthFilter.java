package dev.goldsmith.registry.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Set;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.goldsmith.registry.config.RegistryConfig;

/**
 * Bearer tokens for the API: mutations need a token of {@code goldsmith.registry.api.tokens} (401
 * without or with an unknown token, 403 with a read-only token); reads are open unless {@code
 * goldsmith.registry.api.reads-open=false}. Tokens are compared in constant time and never logged.
 */
public class ApiAuthFilter {
  private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");

  private final List<String> writeTokens;
  private final List<String> readTokens;
  private final boolean readsOpen;

  public ApiAuthFilter(RegistryConfig config) {
    this.writeTokens =
        config.api().tokens().orElse(List.of()).stream().filter(t -> !t.isBlank()).toList();
    this.readTokens =
        config.api().readOnlyTokens().orElse(List.of()).stream().filter(t -> !t.isBlank()).toList();
    this.readsOpen = config.api().readsOpen();
  }

  @ServerRequestFilter
  public Response authorize(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    if (!path.startsWith("/api")) {
      return null;
    }
    boolean read = READ_METHODS.contains(request.getMethod());
    if (read && readsOpen) {
      return null;
    }
    String token = bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
    boolean writer = token != null && matches(token, writeTokens);
    boolean reader = token != null && matches(token, readTokens);
    if (!writer && !reader) {
      Problem p =
          Problem.of(
              401,
              "unauthorized",
              "Unauthorized",
              token == null
                  ? "this request needs a bearer token (Authorization: Bearer <token>)"
                  : "the bearer token is not known",
              path);
      return Response.status(401)
          .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"goldsmith-registry\"")
          .type(Problem.MEDIA_TYPE)
          .entity(p)
          .build();
    }
    if (!read && !writer) {
      return ProblemMappers.respond(
          Problem.of(
              403,
              "forbidden",
              "Forbidden",
              "this token may read but not change the registry",
              path));
    }
    return null;
  }

  private static String bearer(String header) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String t = header.substring(7).trim();
    return t.isEmpty() ? null : t;
  }

  private static boolean matches(String token, List<String> known) {
    byte[] given = token.getBytes(StandardCharsets.UTF_8);
    boolean found = false;
    for (String k : known) {
      found |= MessageDigest.isEqual(given, k.getBytes(StandardCharsets.UTF_8));
    }
    return found;
  }
}
