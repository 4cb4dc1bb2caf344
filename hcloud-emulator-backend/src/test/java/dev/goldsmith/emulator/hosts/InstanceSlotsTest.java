package dev.goldsmith.emulator.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class InstanceSlotsTest {

  @Test
  void theStacksInstanceIsNoTestSlot() {
    assertThat(InstanceSlots.ascending()).containsExactly(0, 1, 2, 3, 4, 5, 6);
    assertThat(InstanceSlots.descending()).containsExactly(6, 5, 4, 3, 2, 1, 0);
    assertThatThrownBy(() -> InstanceSlots.tryTake(InstanceSlots.STACK_INSTANCE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("7 is the stack's");
  }

  @Test
  void whenEveryTestSlotIsHeldNoneIsHandedOutNotEvenTheStacks() {
    List<InstanceSlots.Held> held = new ArrayList<>();
    try {
      // another test JVM may hold some slots; this JVM takes the rest
      for (int slot : InstanceSlots.ascending()) {
        InstanceSlots.tryTake(slot).ifPresent(held::add);
      }
      assertThatThrownBy(
              () -> InstanceSlots.takeFirstFree(InstanceSlots.ascending(), Duration.ofMillis(50)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("instance 7 is the stack's");
      if (!held.isEmpty()) {
        int freed = held.get(0).slot();
        held.remove(0).close();
        try (InstanceSlots.Held again =
            InstanceSlots.takeFirstFree(InstanceSlots.descending(), Duration.ofSeconds(5))) {
          assertThat(again.slot()).isEqualTo(freed);
        }
      }
    } finally {
      held.forEach(InstanceSlots.Held::close);
    }
  }
}
