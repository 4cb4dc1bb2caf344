package dev.goldsmith.emulator.hosts;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.goldsmith.emulator.backend.ServerBackend.BackendException;

/**
 * The exclusive file lock {@code <state-dir>/instance.lock}: one emulator per hosts instance on a
 * machine, since two would fight over the same bridge, names and addresses.
 */
final class InstanceLock {
  private static final Logger LOG = Logger.getLogger(InstanceLock.class.getName());

  private FileChannel channel;
  private FileLock lock;

  private InstanceLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock of instance {@code cfg.instance()}, or fails naming who to change. */
  static InstanceLock acquire(HostsConfig cfg) {
    Path file = cfg.stateDir().resolve("instance.lock");
    try {
      Files.createDirectories(cfg.stateDir());
      FileChannel channel =
          FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // held by another backend in this JVM
      }
      if (lock == null) {
        channel.close();
        throw new BackendException(
            "hosts backend instance "
                + cfg.instance()
                + " is already used by another emulator (lock "
                + file
                + "); give this one another emulator.hosts.instance");
      }
      return new InstanceLock(channel, lock);
    } catch (IOException e) {
      throw new BackendException("cannot prepare state dir " + cfg.stateDir(), e);
    }
  }

  /** Releases the lock; calling it again does nothing. */
  void release() {
    try {
      if (lock != null) {
        lock.release();
      }
      if (channel != null) {
        channel.close();
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot release instance lock", e);
    }
    lock = null;
    channel = null;
  }
}
