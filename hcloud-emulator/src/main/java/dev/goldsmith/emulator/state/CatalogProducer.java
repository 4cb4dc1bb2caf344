package dev.goldsmith.emulator.state;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes the catalog a bean. */
public class CatalogProducer {
  @Produces
  @Singleton
  Catalog catalog() {
    return new Catalog();
  }
}
