package dev.goldsmith.registry.readmodel;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.quarkus.arc.InstanceHandle;

import dev.goldsmith.registry.api.Views;
import dev.goldsmith.registry.config.RegistryConfig;
import dev.goldsmith.registry.domain.ImageVersionRepository;

/**
 * The read model of promoted lookups ({@code GET /api/families/{family}/promoted}): served from
 * memory with an entity tag, invalidated after the commit of any change to one of the family's
 * versions on this instance (the entity callbacks of {@link
 * dev.goldsmith.registry.domain.ImageVersion} call {@link #changed}), and read again after {@code
 * goldsmith.registry.api.promoted-ttl} at the latest, which bounds how long another instance's
 * promotion goes unseen here.
 */
@ApplicationScoped
public class PromotedReadModel {
  private final PromotedCache<Views.PromotedImage> cache;
  private final TransactionSynchronizationRegistry transactions;

  public PromotedReadModel(
      ImageVersionRepository versions,
      ObjectMapper json,
      TransactionSynchronizationRegistry transactions,
      RegistryConfig config) {
    this.transactions = transactions;
    this.cache =
        new PromotedCache<>(
            family -> versions.promoted(family).map(Views.PromotedImage::of),
            image -> {
              try {
                return json.writeValueAsString(image);
              } catch (JsonProcessingException e) {
                throw new IllegalStateException("promoted image not serializable", e);
              }
            },
            config.api().promotedTtl(),
            System::nanoTime);
  }

  /** The family's promoted image, its JSON body and entity tag. */
  public PromotedCache.Lookup<Views.PromotedImage> lookup(String family) {
    return cache.lookup(family);
  }

  /**
   * A version of the family changed in the current transaction: its entry is dropped once the
   * transaction completes (then the change is visible to the next load), or now outside one.
   */
  public void changedInTransaction(String family) {
    if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
      cache.invalidate(family);
      return;
    }
    transactions.registerInterposedSynchronization(
        new Synchronization() {
          @Override
          public void beforeCompletion() {}

          @Override
          public void afterCompletion(int status) {
            cache.invalidate(family);
          }
        });
  }

  /** Entry point of the entity callbacks, which CDI does not inject. */
  public static void changed(String family) {
    ArcContainer container = Arc.container();
    if (container == null || family == null) {
      return;
    }
    InstanceHandle<PromotedReadModel> model = container.instance(PromotedReadModel.class);
    if (model.isAvailable()) {
      model.get().changedInTransaction(family);
    }
  }
}
