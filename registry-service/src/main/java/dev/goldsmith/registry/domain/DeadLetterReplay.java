package dev.goldsmith.registry.domain;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/**
 * A replay of a dead-letter record, by its place on the dead-letter topic (at most one per record):
 * PENDING from the moment it was asked for until the broker acknowledged the republished record,
 * then DONE.
 */
@Entity
@Table(name = "dead_letter_replay")
@IdClass(DeadLetterReplay.Key.class)
public class DeadLetterReplay {
  public static final String PENDING = "PENDING";
  public static final String DONE = "DONE";

  /** The primary key: partition and offset on the dead-letter topic. */
  public static class Key implements Serializable {
    public int dlPartition;
    public long dlOffset;

    public Key() {}

    public Key(int dlPartition, long dlOffset) {
      this.dlPartition = dlPartition;
      this.dlOffset = dlOffset;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.dlPartition == dlPartition && k.dlOffset == dlOffset;
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(dlPartition, dlOffset);
    }
  }

  @Id
  @Column(name = "dl_partition")
  public int dlPartition;

  @Id
  @Column(name = "dl_offset")
  public long dlOffset;

  @Column(name = "original_topic", nullable = false)
  public String originalTopic;

  @Column(name = "ce_id")
  public String ceId;

  @Column(name = "build_id")
  public UUID buildId;

  @Column(name = "replayed_by", nullable = false)
  public String replayedBy;

  /** When the replay was asked for. */
  @Column(name = "replayed_at", nullable = false)
  public Instant replayedAt;

  /** {@link #PENDING} or {@link #DONE}. */
  @Column(name = "state", nullable = false)
  public String state;

  /** When the broker acknowledged the republished record. */
  @Column(name = "published_at")
  public Instant publishedAt;

  public boolean done() {
    return DONE.equals(state);
  }
}
