package dev.goldsmith.emulator.state;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state of one token's project. Every read and write happens while holding the monitor of this
 * object, so a request sees one consistent project.
 */
public class Project {
  public String key;
  public Map<Long, ServerState> servers = new LinkedHashMap<>();
  public Map<Long, ImageState> images = new LinkedHashMap<>();
  public Map<Long, SshKeyState> sshKeys = new LinkedHashMap<>();
  public Map<Long, ActionState> actions = new LinkedHashMap<>();
}
