package dev.goldsmith.provisioner.janitor;

import java.lang.reflect.Proxy;

import dev.goldsmith.provisioner.config.ProvisionerConfig;

/** The application's configuration with the janitor switched to dry-run mode. */
final class DryRun {
  private DryRun() {}

  static ProvisionerConfig of(ProvisionerConfig real) {
    ProvisionerConfig.Janitor janitor =
        (ProvisionerConfig.Janitor)
            Proxy.newProxyInstance(
                DryRun.class.getClassLoader(),
                new Class<?>[] {ProvisionerConfig.Janitor.class},
                (proxy, method, args) ->
                    method.getName().equals("dryRun")
                        ? Boolean.TRUE
                        : method.invoke(real.janitor(), args));
    return (ProvisionerConfig)
        Proxy.newProxyInstance(
            DryRun.class.getClassLoader(),
            new Class<?>[] {ProvisionerConfig.class},
            (proxy, method, args) ->
                method.getName().equals("janitor") ? janitor : method.invoke(real, args));
  }
}
