package dev.goldsmith.registry.promotion;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.goldsmith.registry.domain.ImageVersion;

/**
 * Which of two versions of a family is higher. Allocated versions ({@code <yyyyMMdd>-v<n>}) compare
 * by day, then by number ({@code v10 > v9}); when either is an explicit override version, the one
 * allocated later (higher row id) is higher. Completion order never enters.
 */
public final class VersionOrder {
  private static final Pattern ALLOCATED = Pattern.compile("^([0-9]{8})-v([1-9][0-9]*)$");

  /** Orders versions from lowest to highest. */
  public static final Comparator<ImageVersion> ASCENDING = VersionOrder::compare;

  private VersionOrder() {}

  /** Negative when {@code a} is lower than {@code b}, zero for the same version. */
  public static int compare(ImageVersion a, ImageVersion b) {
    Matcher ma = ALLOCATED.matcher(a.version);
    Matcher mb = ALLOCATED.matcher(b.version);
    if (ma.matches() && mb.matches()) {
      int day = ma.group(1).compareTo(mb.group(1));
      if (day != 0) {
        return day;
      }
      String na = ma.group(2);
      String nb = mb.group(2);
      int n =
          na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
      if (n != 0) {
        return n;
      }
    }
    if (a.id != null && b.id != null) {
      return Long.compare(a.id, b.id);
    }
    return a.version.compareTo(b.version);
  }

  /** Whether {@code candidate} is strictly higher than {@code current}. */
  public static boolean higher(ImageVersion candidate, ImageVersion current) {
    return compare(candidate, current) > 0;
  }
}
