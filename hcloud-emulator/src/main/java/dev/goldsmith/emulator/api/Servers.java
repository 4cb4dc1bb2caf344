package dev.goldsmith.emulator.api;

import java.security.SecureRandom;
import java.util.regex.Pattern;

import dev.goldsmith.emulator.state.Project;
import dev.goldsmith.emulator.state.ServerState;

/** Small rules about servers shared by the server resources. */
final class Servers {
  private static final Pattern HOSTNAME =
      Pattern.compile(
          "^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
              + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String PASSWORD_ALPHABET =
      "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

  private Servers() {}

  /** A server name must be a valid hostname (RFC 1123 labels). */
  static void requireHostname(String name) {
    if (!HOSTNAME.matcher(name).matches()) {
      throw ApiException.invalidField("name", "name must be a valid hostname");
    }
  }

  /** The server, or 404. Caller holds the project's lock. */
  static ServerState server(Project p, long id) {
    ServerState s = p.servers.get(id);
    if (s == null) {
      throw ApiException.notFound("server");
    }
    return s;
  }

  /** 423 locked while an action holds the server. */
  static void requireUnlocked(ServerState s) {
    if (s.lockedBy != 0) {
      throw ApiException.locked("server");
    }
  }

  /** A root password as the API returns it when no SSH key was given. */
  static String password() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      b.append(PASSWORD_ALPHABET.charAt(RANDOM.nextInt(PASSWORD_ALPHABET.length())));
    }
    return b.toString();
  }
}
