package dev.goldsmith.registry.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.junit.jupiter.api.Test;

import dev.goldsmith.registry.config.RegistryConfig;

/**
 * The one set of rules for the API and the web view, in both modes of {@code
 * goldsmith.registry.api.reads-open}. (The running registry is tested with reads open in ApiIT and
 * WebViewIT; a second Quarkus start with reads closed would cost about 30 s of CI, so the closed
 * mode is tested here, on the filter itself.)
 */
class ApiAuthFilterTest {
  private static final String WRITER = "Bearer test-admin-token";
  private static final String READER = "Bearer test-reader-token";

  @Test
  void readsOpen_webViewAndApiReadWithoutTokenButMutationsNeedAWriteToken() {
    ApiAuthFilter filter = filter(true);
    for (String path : List.of("/ui", "/ui/builds", "/ui/families/reg-web", "/api/builds")) {
      assertThat(filter.authorize(request("GET", path, null).context)).as(path).isNull();
      assertThat(status(filter, "POST", path, null)).as(path).isEqualTo(401);
      assertThat(status(filter, "DELETE", path, READER)).as(path).isEqualTo(403);
      // Past the filter: the web view then answers 405 (GET only), see WebViewIT.
      assertThat(filter.authorize(request("PUT", path, WRITER).context)).as(path).isNull();
    }
  }

  @Test
  void readsClosed_webViewAndApiNeedAKnownTokenOfEitherList() {
    ApiAuthFilter filter = filter(false);
    for (String path : List.of("/ui", "/ui/builds", "/ui/builds/x", "/api/families")) {
      Response none = filter.authorize(request("GET", path, null).context);
      assertThat(none.getStatus()).as(path).isEqualTo(401);
      assertThat(none.getHeaderString("WWW-Authenticate")).startsWith("Bearer");
      assertThat(status(filter, "GET", path, "Bearer nope")).as(path).isEqualTo(401);
      assertThat(status(filter, "HEAD", path, "Basic dGVzdDp0ZXN0")).as(path).isEqualTo(401);

      Req reader = request("GET", path, READER);
      assertThat(filter.authorize(reader.context)).as(path).isNull();
      // A bare token is recorded by its fingerprint, never as itself.
      assertThat((String) reader.properties.get(ApiAuthFilter.ACTOR)).matches("token-[0-9a-f]{12}");
      Req writer = request("GET", path, WRITER);
      assertThat(filter.authorize(writer.context)).as(path).isNull();
      assertThat(writer.properties).containsEntry(ApiAuthFilter.ACTOR, "ops-alice");
      assertThat(status(filter, "POST", path, READER)).as(path).isEqualTo(403);
    }
  }

  @Test
  void onlyTheApiAndTheWebViewAreGuarded() {
    ApiAuthFilter filter = filter(false);
    for (String path : List.of("/q/health/ready", "/q/metrics", "/uikit", "/")) {
      assertThat(filter.authorize(request("GET", path, null).context)).as(path).isNull();
    }
  }

  private static int status(ApiAuthFilter filter, String method, String path, String auth) {
    Response r = filter.authorize(request(method, path, auth).context);
    return r == null ? 0 : r.getStatus();
  }

  private static ApiAuthFilter filter(boolean readsOpen) {
    RegistryConfig.Api api =
        proxy(
            RegistryConfig.Api.class,
            Map.of(
                "tokens", Optional.of(List.of("ops-alice=test-admin-token")),
                "readOnlyTokens", Optional.of(List.of("test-reader-token")),
                "readsOpen", readsOpen));
    return new ApiAuthFilter(proxy(RegistryConfig.class, Map.of("api", api)));
  }

  /** A request and the properties the filter left on it. */
  private record Req(ContainerRequestContext context, Map<String, Object> properties) {}

  private static Req request(String method, String path, String authorization) {
    Map<String, Object> properties = new HashMap<>();
    UriInfo uri = proxy(UriInfo.class, Map.of("getPath", path));
    ContainerRequestContext context =
        (ContainerRequestContext)
            Proxy.newProxyInstance(
                ApiAuthFilterTest.class.getClassLoader(),
                new Class<?>[] {ContainerRequestContext.class},
                (self, m, args) ->
                    switch (m.getName()) {
                      case "getUriInfo" -> uri;
                      case "getMethod" -> method;
                      case "getHeaderString" ->
                          "Authorization".equalsIgnoreCase((String) args[0]) ? authorization : null;
                      case "setProperty" -> properties.put((String) args[0], args[1]);
                      case "getProperty" -> properties.get((String) args[0]);
                      default -> throw new UnsupportedOperationException(m.getName());
                    });
    return new Req(context, properties);
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> type, Map<String, Object> answers) {
    return (T)
        Proxy.newProxyInstance(
            ApiAuthFilterTest.class.getClassLoader(),
            new Class<?>[] {type},
            (self, m, args) -> {
              if (!answers.containsKey(m.getName())) {
                throw new UnsupportedOperationException(type.getSimpleName() + "." + m.getName());
              }
              return answers.get(m.getName());
            });
  }
}
