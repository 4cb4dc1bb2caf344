package dev.goldsmith.emulator.state;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** An action; kept forever, also after its resources are gone. */
public class ActionState {
  public long id;
  public String command;
  public String status;
  public int progress;
  public OffsetDateTime started;
  public OffsetDateTime finished;
  public List<Resource> resources = new ArrayList<>();
  public String errorCode;
  public String errorMessage;

  /** A resource an action works on. */
  public record Resource(long id, String type) {}

  public boolean touches(String type, long id) {
    return resources.stream().anyMatch(r -> r.id() == id && r.type().equals(type));
  }
}
