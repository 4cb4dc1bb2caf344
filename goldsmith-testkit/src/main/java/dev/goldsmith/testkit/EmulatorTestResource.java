package dev.goldsmith.testkit;

import java.util.LinkedHashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts an emulator for a Quarkus test and hands {@code hcloud.endpoint} and {@code hcloud.token}
 * to the application under test. Init args: {@code backend} (default: system property {@code
 * emulator.it.backend}, else {@code virtual}); every other arg is passed to the emulator as a
 * configuration property. A field annotated {@link InjectEmulator} receives the {@link
 * EmulatorProcess}.
 *
 * <pre>{@code
 * @QuarkusTestResource(value = EmulatorTestResource.class, initArgs = {
 *     @ResourceArg(name = "emulator.actions.default-duration", value = "100ms")})
 * }</pre>
 */
public class EmulatorTestResource implements QuarkusTestResourceLifecycleManager {
  private String backend;
  private final Map<String, String> properties = new LinkedHashMap<>();
  private EmulatorProcess emulator;

  @Override
  public void init(Map<String, String> initArgs) {
    backend =
        initArgs.getOrDefault("backend", System.getProperty("emulator.it.backend", "virtual"));
    initArgs.forEach(
        (k, v) -> {
          if (!k.equals("backend")) {
            properties.put(k, v);
          }
        });
  }

  @Override
  public Map<String, String> start() {
    if (backend == null) {
      init(Map.of());
    }
    emulator = EmulatorProcess.start(backend, properties);
    return Map.of("hcloud.endpoint", emulator.endpoint(), "hcloud.token", emulator.token());
  }

  @Override
  public void inject(TestInjector testInjector) {
    testInjector.injectIntoFields(
        emulator,
        new TestInjector.AnnotatedAndMatchesType(InjectEmulator.class, EmulatorProcess.class));
  }

  @Override
  public void stop() {
    if (emulator != null) {
      emulator.close();
      emulator = null;
    }
  }

  /** The running emulator (null before start and after stop). */
  public EmulatorProcess emulator() {
    return emulator;
  }
}
