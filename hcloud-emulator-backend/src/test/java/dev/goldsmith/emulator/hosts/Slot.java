package dev.goldsmith.emulator.hosts;

import java.time.Duration;

/**
 * A test slot for a hosts IT ({@link InstanceSlots}): searched from the top down, the testkit from
 * 0 up; never the stack's instance.
 */
final class Slot implements AutoCloseable {

  final int instance;
  private final InstanceSlots.Held held;

  private Slot(InstanceSlots.Held held) {
    this.held = held;
    this.instance = held.slot();
  }

  static Slot acquire() {
    return new Slot(
        InstanceSlots.takeFirstFree(InstanceSlots.descending(), Duration.ofMinutes(10)));
  }

  @Override
  public void close() {
    held.close();
  }
}
