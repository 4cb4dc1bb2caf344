package dev.goldsmith.emulator.state;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A server of one project. Mutated only while holding the project's lock. */
public class ServerState {
  public long id;
  public String name;
  public ServerStatus status;
  public OffsetDateTime created;
  public String serverType;
  public String location;
  public long imageId;
  public boolean hasIpv4 = true;
  public boolean hasIpv6 = true;
  public String ipv4;
  public long ipv4Id;
  public String ipv6Network;
  public long ipv6Id;
  public boolean protectDelete;
  public boolean protectRebuild;
  public Map<String, String> labels = new LinkedHashMap<>();
  public List<Long> sshKeyIds = new ArrayList<>();
  public boolean hasRootPassword;
  public boolean rescueEnabled;
  public String userData;

  /** Id of the action that holds the lock, or 0 when unlocked. */
  public long lockedBy;
}
