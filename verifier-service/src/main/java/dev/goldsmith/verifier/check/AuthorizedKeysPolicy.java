package dev.goldsmith.verifier.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.goldsmith.events.VerificationReport.CheckResult;
import dev.goldsmith.support.ssh.SshPublicKey;

/**
 * Which keys must not be left in an image: the keys used during the build (the configurator's keys,
 * found as Hetzner SSH keys labelled {@code goldsmith.dev/role=configurator}, and any other key
 * passed in) and any key whose comment starts with {@code goldsmith-}. The verifier's own key is
 * allowed: the test server got it at create time, so it is not part of the image.
 *
 * @param buildKeys keys that were used to build images
 * @param own the verifier's own public key
 */
public record AuthorizedKeysPolicy(List<SshPublicKey> buildKeys, SshPublicKey own) {

  /** One key line found in one file. */
  public record Entry(String file, SshPublicKey key) {}

  /** Parses the output of {@link Commands#authorizedKeys()}. */
  public static List<Entry> parseFiles(String output) {
    List<Entry> entries = new ArrayList<>();
    String file = null;
    for (String line : output.split("\n", -1)) {
      if (line.startsWith("GS_FILE=")) {
        file = line.substring("GS_FILE=".length()).strip();
        continue;
      }
      if (file == null) {
        continue;
      }
      Optional<SshPublicKey> k = SshPublicKey.tryParse(line);
      if (k.isPresent()) {
        entries.add(new Entry(file, k.get()));
      }
    }
    return entries;
  }

  /** Why {@code key} is forbidden, or empty when it may stay. */
  public Optional<String> violation(SshPublicKey key) {
    if (own != null && own.sameKey(key)) {
      return Optional.empty();
    }
    for (SshPublicKey b : buildKeys) {
      if (b.sameKey(key)) {
        return Optional.of("build/configurator key");
      }
    }
    if (key.comment().startsWith("goldsmith-")) {
      return Optional.of("goldsmith key by comment");
    }
    return Optional.empty();
  }

  /** The check over every key found. */
  public CheckResult check(List<Entry> entries) {
    List<String> bad = new ArrayList<>();
    for (Entry e : entries) {
      violation(e.key())
          .ifPresent(
              why ->
                  bad.add(
                      e.file()
                          + ": "
                          + e.key().type()
                          + " "
                          + e.key().md5Fingerprint()
                          + (e.key().comment().isEmpty() ? "" : " '" + e.key().comment() + "'")
                          + " ("
                          + why
                          + ")"));
    }
    long files = entries.stream().map(Entry::file).distinct().count();
    return bad.isEmpty()
        ? new CheckResult(
            "authorized_keys",
            true,
            entries.size() + " keys in " + files + " files, no build or configurator key")
        : new CheckResult("authorized_keys", false, String.join("; ", bad));
  }
}
