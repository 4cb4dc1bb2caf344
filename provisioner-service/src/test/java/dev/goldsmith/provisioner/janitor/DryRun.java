package dev.goldsmith.provisioner.janitor;

import java.lang.reflect.Proxy;
import java.time.Duration;

import dev.goldsmith.provisioner.config.ProvisionerConfig;

/** The application's configuration with janitor settings changed for one test. */
final class DryRun {
  private DryRun() {}

  /** The janitor switched to dry-run mode. */
  static ProvisionerConfig of(ProvisionerConfig real) {
    return janitor(real, "dryRun", Boolean.TRUE);
  }

  /** The janitor with builder and test-server TTLs of {@code ttl}. */
  static ProvisionerConfig withTtl(ProvisionerConfig real, Duration ttl) {
    ProvisionerConfig once = janitor(real, "builderTtl", ttl);
    return janitor(once, "testTtl", ttl);
  }

  private static ProvisionerConfig janitor(ProvisionerConfig real, String setting, Object value) {
    ProvisionerConfig.Janitor janitor =
        (ProvisionerConfig.Janitor)
            Proxy.newProxyInstance(
                DryRun.class.getClassLoader(),
                new Class<?>[] {ProvisionerConfig.Janitor.class},
                (proxy, method, args) ->
                    method.getName().equals(setting) ? value : method.invoke(real.janitor(), args));
    return (ProvisionerConfig)
        Proxy.newProxyInstance(
            DryRun.class.getClassLoader(),
            new Class<?>[] {ProvisionerConfig.class},
            (proxy, method, args) ->
                method.getName().equals("janitor") ? janitor : method.invoke(real, args));
  }
}
