package dev.goldsmith.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class SlotLockTest {

  @Test
  void theStacksInstanceIsNeverHandedOut() throws IOException {
    List<EmulatorProcess.SlotLock> held = new ArrayList<>();
    List<FileChannel> channels = new ArrayList<>();
    try {
      // take every free test slot; another test JVM may hold the others
      for (int i = 0; i < EmulatorProcess.SLOTS; i++) {
        FileChannel ch =
            FileChannel.open(
                Path.of("/tmp", "goldsmith-emulator-slot-" + i + ".lock"),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock l;
        try {
          l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
          l = null;
        }
        if (l == null) {
          ch.close();
        } else {
          channels.add(ch);
        }
      }
      assertThat(EmulatorProcess.SLOTS).isEqualTo(EmulatorProcess.STACK_INSTANCE);
      assertThatThrownBy(() -> held.add(EmulatorProcess.SlotLock.acquire(Duration.ofMillis(50))))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("instance 7 is the stack's");
    } finally {
      held.forEach(EmulatorProcess.SlotLock::release);
      for (FileChannel ch : channels) {
        ch.close();
      }
    }
  }
}
