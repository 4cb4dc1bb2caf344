package dev.goldsmith.verifier.access;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where sshd looks for a user's keys: the {@code AuthorizedKeysFile} value of {@code sshd -T -C
 * user=<u>} with its tokens expanded as sshd expands them ({@code %%}, {@code %h} home, {@code %u}
 * user, {@code %U} uid; a relative path is taken from the home directory), plus {@code
 * ~/.ssh/authorized_keys} and {@code ~/.ssh/authorized_keys2} always, since a key baked there
 * becomes live as soon as the configuration changes.
 */
public final class AuthorizedKeysFiles {

  private AuthorizedKeysFiles() {}

  /** The files to audit for one user. */
  public static List<String> of(String authorizedKeysFile, PasswdEntry user)
      throws ListingException {
    Set<String> files = new LinkedHashSet<>();
    if (authorizedKeysFile != null && !authorizedKeysFile.strip().equalsIgnoreCase("none")) {
      for (String token : authorizedKeysFile.strip().split("\\s+")) {
        if (!token.isEmpty()) {
          files.add(expand(token, user));
        }
      }
    }
    files.add(expand(".ssh/authorized_keys", user));
    files.add(expand(".ssh/authorized_keys2", user));
    return new ArrayList<>(files);
  }

  /** Expands one {@code AuthorizedKeysFile} path for a user. */
  public static String expand(String pattern, PasswdEntry user) throws ListingException {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c != '%') {
        out.append(c);
        continue;
      }
      if (i + 1 >= pattern.length()) {
        throw new ListingException("AuthorizedKeysFile '" + pattern + "' ends with a lone %");
      }
      char t = pattern.charAt(++i);
      switch (t) {
        case '%' -> out.append('%');
        case 'h' -> out.append(user.home());
        case 'u' -> out.append(user.name());
        case 'U' -> out.append(user.uid());
        default ->
            throw new ListingException(
                "AuthorizedKeysFile '" + pattern + "' has the unknown token %" + t);
      }
    }
    String path = out.toString();
    // sshd -T prints the value with '~' already expanded (sshd expands it when it reads the file).
    if (!path.startsWith("/")) {
      String home = user.home().endsWith("/") ? user.home() : user.home() + "/";
      path = home + path;
    }
    return path;
  }
}
