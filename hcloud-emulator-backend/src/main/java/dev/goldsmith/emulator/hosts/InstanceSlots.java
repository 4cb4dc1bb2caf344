package dev.goldsmith.emulator.hosts;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Who may use which hosts instance (0..7) on a machine. Instance {@value #STACK_INSTANCE} belongs
 * to the local stack ({@code deploy/stack.sh}, {@code ./run.sh}); tests and ad-hoc emulators take
 * one of the test slots 0..{@value #TEST_SLOTS}-1 through an exclusive lock on {@code
 * /tmp/goldsmith-emulator-slot-<n>.lock} (the testkit's EmulatorProcess uses the same files), so a
 * test never shares an instance, its state dir or its layers with the stack or with another test.
 */
public final class InstanceSlots {
  /** The instance of the local stack; never handed out as a slot. */
  public static final int STACK_INSTANCE = 7;

  /** Number of test slots: instances 0 to {@code TEST_SLOTS - 1}. */
  public static final int TEST_SLOTS = 7;

  private InstanceSlots() {}

  /** The test slots from 0 up (ad-hoc emulators, the testkit). */
  public static List<Integer> ascending() {
    return IntStream.range(0, TEST_SLOTS).boxed().toList();
  }

  /** The test slots from the top down (the backend's own ITs, to meet the testkit last). */
  public static List<Integer> descending() {
    return IntStream.range(0, TEST_SLOTS).map(i -> TEST_SLOTS - 1 - i).boxed().toList();
  }

  static Path lockFile(int slot) {
    return Path.of("/tmp", "goldsmith-emulator-slot-" + slot + ".lock");
  }

  /** A slot held through its lock file until closed. */
  public static final class Held implements AutoCloseable {
    private final int slot;
    private final FileChannel channel;
    private final FileLock lock;

    private Held(int slot, FileChannel channel, FileLock lock) {
      this.slot = slot;
      this.channel = channel;
      this.lock = lock;
    }

    public int slot() {
      return slot;
    }

    @Override
    public synchronized void close() {
      try {
        if (lock.isValid()) {
          lock.release();
        }
        channel.close();
      } catch (IOException e) {
        // the lock goes with the channel anyway
      }
    }
  }

  /** Takes one slot if it is free. */
  public static Optional<Held> tryTake(int slot) {
    if (slot < 0 || slot >= TEST_SLOTS) {
      throw new IllegalArgumentException(
          "slot must be 0.." + (TEST_SLOTS - 1) + "; " + STACK_INSTANCE + " is the stack's");
    }
    try {
      FileChannel ch =
          FileChannel.open(lockFile(slot), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock l;
      try {
        l = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        l = null; // held in this JVM
      }
      if (l == null) {
        ch.close();
        return Optional.empty();
      }
      return Optional.of(new Held(slot, ch, l));
    } catch (IOException e) {
      throw new IllegalStateException("cannot lock " + lockFile(slot) + ": " + e.getMessage(), e);
    }
  }

  /**
   * Takes the first free slot in {@code order}, looking again every second until {@code wait} has
   * passed.
   */
  public static Held takeFirstFree(List<Integer> order, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      for (int slot : order) {
        Optional<Held> held = tryTake(slot);
        if (held.isPresent()) {
          return held.get();
        }
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new IllegalStateException(
            "all "
                + TEST_SLOTS
                + " hosts instance slots stayed busy for "
                + wait.toSeconds()
                + " s (instance "
                + STACK_INSTANCE
                + " is the stack's)");
      }
      Procs.sleep(Math.min(1000, Math.max(10, wait.toMillis())));
    }
  }
}
