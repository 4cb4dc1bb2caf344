package dev.goldsmith.emulator.state;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/** An SSH key of one project. */
public class SshKeyState {
  public long id;
  public String name;
  public String fingerprint;
  public String publicKey;
  public Map<String, String> labels = new LinkedHashMap<>();
  public OffsetDateTime created;
}
