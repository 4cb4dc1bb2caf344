package dev.goldsmith.verifier.access;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** One line of the group database ({@code getent group}). */
public record GroupEntry(String name, int gid, List<String> members) {

  /** Secondary members plus every user whose primary group this is. */
  public Set<String> allMembers(List<PasswdEntry> passwd) {
    Set<String> all = new LinkedHashSet<>(members);
    passwd.stream().filter(p -> p.gid() == gid).forEach(p -> all.add(p.name()));
    return all;
  }

  /** Parses {@code getent group} output; the root group (gid 0) must be among the entries. */
  public static List<GroupEntry> parse(String output) throws ListingException {
    List<GroupEntry> out = new ArrayList<>();
    for (String line : output.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(":", -1);
      if (f.length != 4 || f[0].isEmpty()) {
        throw new ListingException("group: malformed entry '" + line + "'");
      }
      int gid;
      try {
        gid = Integer.parseInt(f[2]);
      } catch (NumberFormatException e) {
        throw new ListingException("group: non-numeric gid in '" + line + "'");
      }
      List<String> members =
          f[3].isBlank()
              ? List.of()
              : Arrays.stream(f[3].split(","))
                  .map(String::strip)
                  .filter(m -> !m.isEmpty())
                  .toList();
      out.add(new GroupEntry(f[0], gid, members));
    }
    if (out.stream().noneMatch(g -> g.gid() == 0)) {
      throw new ListingException(
          "group: no gid 0 among " + out.size() + " entries, the database was not read");
    }
    return out;
  }
}
