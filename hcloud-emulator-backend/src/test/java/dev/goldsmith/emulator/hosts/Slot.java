package dev.goldsmith.emulator.hosts;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * An emulator instance slot (0..7) held through the same lock files the testkit's EmulatorProcess
 * uses ({@code /tmp/goldsmith-emulator-slot-<n>.lock}), so these tests never share an instance with
 * an emulator another test JVM runs. Searches from 7 down, the testkit from 0 up.
 */
final class Slot implements AutoCloseable {

  final int instance;
  private final FileChannel channel;
  private final FileLock lock;

  private Slot(int instance, FileChannel channel, FileLock lock) {
    this.instance = instance;
    this.channel = channel;
    this.lock = lock;
  }

  static Slot acquire() throws IOException {
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (System.nanoTime() < deadline) {
      for (int i = 7; i >= 0; i--) {
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
        if (l != null) {
          return new Slot(i, ch, l);
        }
        ch.close();
      }
      Procs.sleep(1000);
    }
    throw new IllegalStateException("no free emulator slot within 10 minutes");
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }
}
