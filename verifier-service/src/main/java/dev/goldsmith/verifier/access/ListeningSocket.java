package dev.goldsmith.verifier.access;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One listening socket as {@code ss -H -tulnpe} prints it.
 *
 * @param proto {@code tcp} or {@code udp}
 * @param address the local address as printed ({@code 0.0.0.0}, {@code [::]}, {@code *}, {@code
 *     127.0.0.53%lo})
 * @param uid the owning uid ({@code ss} prints it only when not 0)
 * @param process the first process holding it, or empty
 */
public record ListeningSocket(String proto, String address, int port, int uid, String process) {

  private static final Pattern UID = Pattern.compile("(?:^|\\s)uid:(\\d{1,10})(?=\\s|$)");
  private static final Pattern PROCESS = Pattern.compile("users:\\(\\(\"([^\"]*)\"");

  /** {@code tcp 0.0.0.0:22}. */
  public String endpoint() {
    return proto + " " + address + ":" + port;
  }

  /** Parses the output of {@code ss -H -tulnpe} (Netid column first). */
  public static List<ListeningSocket> parse(String output) throws ListingException {
    List<ListeningSocket> out = new ArrayList<>();
    for (String line : output.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.strip().split("\\s+", 7);
      if (f.length < 6 || !(f[0].equals("tcp") || f[0].equals("udp"))) {
        throw new ListingException("ss: unexpected line '" + line.strip() + "'");
      }
      String local = f[4];
      int colon = local.lastIndexOf(':');
      int port;
      try {
        port = Integer.parseInt(local.substring(colon + 1));
      } catch (RuntimeException e) {
        throw new ListingException("ss: no port in local address '" + local + "'");
      }
      String rest = f.length > 6 ? f[6] : "";
      int uid = 0;
      Matcher u = UID.matcher(rest);
      while (u.find()) {
        uid = (int) Math.min(Integer.MAX_VALUE, Long.parseLong(u.group(1)));
      }
      Matcher p = PROCESS.matcher(rest);
      out.add(
          new ListeningSocket(
              f[0], local.substring(0, colon), port, uid, p.find() ? p.group(1) : ""));
    }
    return out;
  }
}
