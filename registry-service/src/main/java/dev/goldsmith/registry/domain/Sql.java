package dev.goldsmith.registry.domain;

import java.sql.SQLException;

/** Reads PostgreSQL error states out of wrapped exceptions. */
public final class Sql {
  private static final String UNIQUE_VIOLATION = "23505";

  private Sql() {}

  /** Whether a unique constraint refused the statement, anywhere in the cause chain. */
  public static boolean isUniqueViolation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && UNIQUE_VIOLATION.equals(s.getSQLState())) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
