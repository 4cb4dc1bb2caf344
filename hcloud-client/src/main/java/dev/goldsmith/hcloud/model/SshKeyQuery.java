package dev.goldsmith.hcloud.model;

import java.util.ArrayList;
import java.util.List;

/** Filters for {@code GET /ssh_keys}. Start from {@link #all()}. */
public record SshKeyQuery(
    String name,
    String fingerprint,
    String labelSelector,
    List<String> sort,
    Integer page,
    Integer perPage) {

  public SshKeyQuery {
    sort = sort == null ? List.of() : List.copyOf(sort);
  }

  /** No filter. */
  public static SshKeyQuery all() {
    return new SshKeyQuery(null, null, null, List.of(), null, null);
  }

  /** Exact name. */
  public SshKeyQuery withName(String exact) {
    return new SshKeyQuery(exact, fingerprint, labelSelector, sort, page, perPage);
  }

  /** MD5 fingerprint, colon-separated hex. */
  public SshKeyQuery withFingerprint(String md5) {
    return new SshKeyQuery(name, md5, labelSelector, sort, page, perPage);
  }

  /** Label selector expression. */
  public SshKeyQuery withLabelSelector(String selector) {
    return new SshKeyQuery(name, fingerprint, selector, sort, page, perPage);
  }

  /** Adds a sort term such as {@code id:asc}. */
  public SshKeyQuery withSort(String term) {
    List<String> more = new ArrayList<>(sort);
    more.add(term);
    return new SshKeyQuery(name, fingerprint, labelSelector, more, page, perPage);
  }

  /** Page number (from 1) and size (at most 50) for {@code list}. */
  public SshKeyQuery withPage(int page, int perPage) {
    return new SshKeyQuery(name, fingerprint, labelSelector, sort, page, perPage);
  }

  /** Label selector built with {@link dev.goldsmith.hcloud.label.LabelSelector}. */
  public SshKeyQuery withLabelSelector(dev.goldsmith.hcloud.label.LabelSelector selector) {
    return withLabelSelector(selector.isEmpty() ? null : selector.toString());
  }
}
