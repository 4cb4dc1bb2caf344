package dev.goldsmith.configurator.ansible;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One ansible-playbook invocation as an argument list and environment: never a shell string, so
 * nothing in a spec is ever interpreted by a shell.
 *
 * @param executable ansible-playbook (name or path)
 * @param ansibleDir the ansible/ tree; its ansible.cfg is used
 * @param playbook the playbook file
 * @param inventory the inventory file
 * @param extraVarsFiles YAML/JSON files passed as {@code -e @file}, later ones win
 * @param callbackPluginDir directory holding the goldsmith_events callback plugin
 * @param eventsFile where that plugin writes its JSON lines
 * @param controlPathDir per-build ssh ControlMaster socket directory
 * @param localTemp per-build directory for Ansible's local temporary files
 */
public record PlaybookCommand(
    String executable,
    Path ansibleDir,
    Path playbook,
    Path inventory,
    List<Path> extraVarsFiles,
    Path callbackPluginDir,
    Path eventsFile,
    Path controlPathDir,
    Path localTemp) {

  public static final String CALLBACK_NAME = "goldsmith_events";

  public PlaybookCommand {
    Objects.requireNonNull(executable, "executable");
    Objects.requireNonNull(playbook, "playbook");
    Objects.requireNonNull(inventory, "inventory");
    extraVarsFiles = List.copyOf(extraVarsFiles);
  }

  /** The argument list, executable first. */
  public List<String> arguments() {
    List<String> args = new ArrayList<>();
    args.add(executable);
    args.add("--inventory");
    args.add(inventory.toAbsolutePath().toString());
    for (Path file : extraVarsFiles) {
      args.add("--extra-vars");
      args.add("@" + file.toAbsolutePath());
    }
    // Never --diff: it would print the content of every file a task writes (keys, configs) into
    // the log.
    args.add(playbook.toAbsolutePath().toString());
    return args;
  }

  /** Environment variables added to the child's environment. */
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("ANSIBLE_CONFIG", ansibleDir.resolve("ansible.cfg").toAbsolutePath().toString());
    env.put("ANSIBLE_ROLES_PATH", ansibleDir.resolve("roles").toAbsolutePath().toString());
    env.put("ANSIBLE_CALLBACK_PLUGINS", callbackPluginDir.toAbsolutePath().toString());
    env.put("ANSIBLE_CALLBACKS_ENABLED", CALLBACK_NAME);
    env.put("GOLDSMITH_EVENTS_FILE", eventsFile.toAbsolutePath().toString());
    env.put("ANSIBLE_SSH_CONTROL_PATH_DIR", controlPathDir.toAbsolutePath().toString());
    env.put("ANSIBLE_LOCAL_TEMP", localTemp.toAbsolutePath().toString());
    env.put("ANSIBLE_RETRY_FILES_ENABLED", "false");
    // No diff from any configuration either (see arguments()).
    env.put("ANSIBLE_DIFF_ALWAYS", "false");
    env.put("ANSIBLE_NOCOLOR", "true");
    env.put("ANSIBLE_FORCE_COLOR", "false");
    // Lines reach the service log as they happen, not when a buffer fills.
    env.put("PYTHONUNBUFFERED", "1");
    return env;
  }
}
