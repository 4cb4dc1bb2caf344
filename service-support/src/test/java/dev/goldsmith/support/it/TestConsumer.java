package dev.goldsmith.support.it;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.smallrye.common.annotation.Blocking;

import dev.goldsmith.events.BuildFailed;
import dev.goldsmith.support.messaging.EventConsumer;

/** A service's consumer as the migration guide writes it: one line into the helper. */
@ApplicationScoped
public class TestConsumer {
  private final EventConsumer consumer;
  private final FlakyDependency dependency;

  public TestConsumer(EventConsumer consumer, FlakyDependency dependency) {
    this.consumer = consumer;
    this.dependency = dependency;
  }

  @Incoming("it-in")
  @Blocking
  public java.util.concurrent.CompletionStage<Void> consume(Message<String> message) {
    return consumer.handleBlocking(
        message,
        BuildFailed.class,
        event -> {
          try {
            dependency.store(event);
          } catch (java.sql.SQLTransientConnectionException e) {
            throw new IllegalStateException("could not store", e);
          }
        });
  }
}
