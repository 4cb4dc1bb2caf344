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
 * Bearer tokens for the API and the web view ({@code /ui}): mutations need a token of {@code
 * goldsmith.registry.api.tokens} (401 without or with an unknown token, 403 with a read-only
 * token); reads are open unless {@code goldsmith.registry.api.reads-open=false}. Tokens are
 * compared in constant time and never logged.
 *
 * <p>A token entry may name its holder as {@code <name>=<token>}; the identity recorded with a
 * mutation (who promoted, who revoked) is that name, else {@code token-<first 12 hex digits of the
 * token's SHA-256>}, never the token itself. It is left in the request property {@link #ACTOR}.
 */
public class ApiAuthFilter {
  /** Request property holding the caller's identity after a successful check. */
  public static final String ACTOR = "goldsmith.actor";

  private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");

  private record Token(String identity, String value) {}

  private final List<Token> writeTokens;
  private final List<Token> readTokens;
  private final boolean readsOpen;

  public ApiAuthFilter(RegistryConfig config) {
    this.writeTokens = parse(config.api().tokens().orElse(List.of()));
    this.readTokens = parse(config.api().readOnlyTokens().orElse(List.of()));
    this.readsOpen = config.api().readsOpen();
  }

  @ServerRequestFilter(preMatching = true)
  public Response authorize(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    if (!guarded(path)) {
      return null;
    }
    boolean read = READ_METHODS.contains(request.getMethod());
    if (read && readsOpen) {
      return null;
    }
    String token = bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
    Token writer = token == null ? null : match(token, writeTokens);
    Token reader = token == null ? null : match(token, readTokens);
    if (writer == null && reader == null) {
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
    if (!read && writer == null) {
      return ProblemMappers.respond(
          Problem.of(
              403,
              "forbidden",
              "Forbidden",
              "this token may read but not change the registry",
              path));
    }
    request.setProperty(ACTOR, (writer != null ? writer : reader).identity());
    return null;
  }

  /** The API and the web view ({@code /ui}): the same rules for both. */
  static boolean guarded(String path) {
    return path.startsWith("/api") || path.equals("/ui") || path.startsWith("/ui/");
  }

  private static List<Token> parse(List<String> entries) {
    return entries.stream()
        .map(String::trim)
        .filter(t -> !t.isBlank())
        .map(
            e -> {
              int eq = e.indexOf('=');
              if (eq > 0 && eq < e.length() - 1) {
                return new Token(e.substring(0, eq), e.substring(eq + 1));
              }
              return new Token(fingerprint(e), e);
            })
        .toList();
  }

  private static String fingerprint(String token) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return "token-" + java.util.HexFormat.of().formatHex(d).substring(0, 12);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String bearer(String header) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String t = header.substring(7).trim();
    return t.isEmpty() ? null : t;
  }

  private static Token match(String token, List<Token> known) {
    byte[] given = token.getBytes(StandardCharsets.UTF_8);
    Token found = null;
    for (Token k : known) {
      if (MessageDigest.isEqual(given, k.value().getBytes(StandardCharsets.UTF_8))) {
        found = k;
      }
    }
    return found;
  }
}
