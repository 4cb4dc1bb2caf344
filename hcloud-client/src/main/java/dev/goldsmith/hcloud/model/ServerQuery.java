package dev.goldsmith.hcloud.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Filters for {@code GET /servers}. Start from {@link #all()} and narrow it; every wither returns a
 * new query. {@code page}/{@code perPage} are used by {@code list}; {@code all} walks every page.
 *
 * @param labelSelector e.g. built with {@link dev.goldsmith.hcloud.label.LabelSelector}
 * @param sort e.g. {@code id:asc}, {@code created:desc}
 */
public record ServerQuery(
    String name,
    String labelSelector,
    List<ServerStatus> statuses,
    List<String> sort,
    Integer page,
    Integer perPage) {

  public ServerQuery {
    statuses = statuses == null ? List.of() : List.copyOf(statuses);
    sort = sort == null ? List.of() : List.copyOf(sort);
  }

  /** No filter. */
  public static ServerQuery all() {
    return new ServerQuery(null, null, List.of(), List.of(), null, null);
  }

  /** Exact name. */
  public ServerQuery withName(String name) {
    return new ServerQuery(name, labelSelector, statuses, sort, page, perPage);
  }

  /** Label selector expression (see {@link dev.goldsmith.hcloud.label.LabelSelector}). */
  public ServerQuery withLabelSelector(String selector) {
    return new ServerQuery(name, selector, statuses, sort, page, perPage);
  }

  /** Adds a status; several statuses are ORed. */
  public ServerQuery withStatus(ServerStatus status) {
    List<ServerStatus> more = new ArrayList<>(statuses);
    more.add(status);
    return new ServerQuery(name, labelSelector, more, sort, page, perPage);
  }

  /** Adds a sort term such as {@code id:asc}. */
  public ServerQuery withSort(String term) {
    List<String> more = new ArrayList<>(sort);
    more.add(term);
    return new ServerQuery(name, labelSelector, statuses, more, page, perPage);
  }

  /** Page number (from 1) and size (at most 50) for {@code list}. */
  public ServerQuery withPage(int page, int perPage) {
    return new ServerQuery(name, labelSelector, statuses, sort, page, perPage);
  }

  /** Label selector built with {@link dev.goldsmith.hcloud.label.LabelSelector}. */
  public ServerQuery withLabelSelector(dev.goldsmith.hcloud.label.LabelSelector selector) {
    return withLabelSelector(selector.isEmpty() ? null : selector.toString());
  }
}
