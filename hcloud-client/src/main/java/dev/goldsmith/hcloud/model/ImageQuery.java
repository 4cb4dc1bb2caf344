package dev.goldsmith.hcloud.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Filters for {@code GET /images}. Start from {@link #all()}; every wither returns a new query.
 *
 * @param name exact; matches system images only (snapshots have no name)
 * @param boundTo server id, for backups
 */
public record ImageQuery(
    List<ImageType> types,
    List<ImageStatus> statuses,
    String labelSelector,
    Architecture architecture,
    String name,
    Boolean includeDeprecated,
    Long boundTo,
    List<String> sort,
    Integer page,
    Integer perPage) {

  public ImageQuery {
    types = types == null ? List.of() : List.copyOf(types);
    statuses = statuses == null ? List.of() : List.copyOf(statuses);
    sort = sort == null ? List.of() : List.copyOf(sort);
  }

  /** No filter. */
  public static ImageQuery all() {
    return new ImageQuery(
        List.of(), List.of(), null, null, null, null, null, List.of(), null, null);
  }

  /** Adds a type; several types are ORed. */
  public ImageQuery withType(ImageType type) {
    List<ImageType> more = new ArrayList<>(types);
    more.add(type);
    return new ImageQuery(
        more,
        statuses,
        labelSelector,
        architecture,
        name,
        includeDeprecated,
        boundTo,
        sort,
        page,
        perPage);
  }

  /** Adds a status; several statuses are ORed. */
  public ImageQuery withStatus(ImageStatus status) {
    List<ImageStatus> more = new ArrayList<>(statuses);
    more.add(status);
    return new ImageQuery(
        types,
        more,
        labelSelector,
        architecture,
        name,
        includeDeprecated,
        boundTo,
        sort,
        page,
        perPage);
  }

  /** Label selector expression. */
  public ImageQuery withLabelSelector(String selector) {
    return new ImageQuery(
        types,
        statuses,
        selector,
        architecture,
        name,
        includeDeprecated,
        boundTo,
        sort,
        page,
        perPage);
  }

  /** Architecture filter. */
  public ImageQuery withArchitecture(Architecture arch) {
    return new ImageQuery(
        types,
        statuses,
        labelSelector,
        arch,
        name,
        includeDeprecated,
        boundTo,
        sort,
        page,
        perPage);
  }

  /** Exact name (system images). */
  public ImageQuery withName(String exact) {
    return new ImageQuery(
        types,
        statuses,
        labelSelector,
        architecture,
        exact,
        includeDeprecated,
        boundTo,
        sort,
        page,
        perPage);
  }

  /** Whether deprecated images are listed too. */
  public ImageQuery withIncludeDeprecated(boolean include) {
    return new ImageQuery(
        types, statuses, labelSelector, architecture, name, include, boundTo, sort, page, perPage);
  }

  /** Backups bound to a server. */
  public ImageQuery withBoundTo(long serverId) {
    return new ImageQuery(
        types,
        statuses,
        labelSelector,
        architecture,
        name,
        includeDeprecated,
        serverId,
        sort,
        page,
        perPage);
  }

  /** Adds a sort term such as {@code created:desc}. */
  public ImageQuery withSort(String term) {
    List<String> more = new ArrayList<>(sort);
    more.add(term);
    return new ImageQuery(
        types,
        statuses,
        labelSelector,
        architecture,
        name,
        includeDeprecated,
        boundTo,
        more,
        page,
        perPage);
  }

  /** Page number (from 1) and size (at most 50) for {@code list}. */
  public ImageQuery withPage(int page, int perPage) {
    return new ImageQuery(
        types,
        statuses,
        labelSelector,
        architecture,
        name,
        includeDeprecated,
        boundTo,
        sort,
        page,
        perPage);
  }

  /** Label selector built with {@link dev.goldsmith.hcloud.label.LabelSelector}. */
  public ImageQuery withLabelSelector(dev.goldsmith.hcloud.label.LabelSelector selector) {
    return withLabelSelector(selector.isEmpty() ? null : selector.toString());
  }
}
