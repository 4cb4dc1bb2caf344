package dev.goldsmith.hcloud.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Body of {@code POST /servers}. Build it with {@link #builder(String, String, String)}.
 *
 * <p>{@code serverType}, {@code image}, {@code location} and each of {@code sshKeys} are an id or a
 * name; ids (all digits) are sent as JSON integers, names as strings. {@code userData} may carry
 * secrets, so {@link #toString()} shows only its length.
 */
public record CreateServerRequest(
    String name,
    String serverType,
    String image,
    String location,
    List<String> sshKeys,
    String userData,
    boolean startAfterCreate,
    Map<String, String> labels,
    boolean enableIpv4,
    boolean enableIpv6) {

  public CreateServerRequest {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(serverType, "serverType");
    Objects.requireNonNull(image, "image");
    sshKeys = sshKeys == null ? List.of() : List.copyOf(sshKeys);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  /** A builder with the three required fields; the rest default as the API does. */
  public static Builder builder(String name, String serverType, String image) {
    return new Builder(name, serverType, image);
  }

  @Override
  public String toString() {
    return "CreateServerRequest[name="
        + name
        + ", serverType="
        + serverType
        + ", image="
        + image
        + ", location="
        + location
        + ", sshKeys="
        + sshKeys
        + ", userData="
        + (userData == null ? "none" : userData.length() + " chars")
        + ", startAfterCreate="
        + startAfterCreate
        + ", labels="
        + labels
        + ", enableIpv4="
        + enableIpv4
        + ", enableIpv6="
        + enableIpv6
        + "]";
  }

  /** Builder for {@link CreateServerRequest}. */
  public static final class Builder {
    private final String name;
    private final String serverType;
    private String image;
    private String location;
    private final List<String> sshKeys = new ArrayList<>();
    private String userData;
    private boolean startAfterCreate = true;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private boolean enableIpv4 = true;
    private boolean enableIpv6 = true;

    private Builder(String name, String serverType, String image) {
      this.name = name;
      this.serverType = serverType;
      this.image = image;
    }

    /** Image by id (sent as an integer). */
    public Builder image(long imageId) {
      this.image = Long.toString(imageId);
      return this;
    }

    /** Location name or id, e.g. {@code fsn1}. */
    public Builder location(String location) {
      this.location = location;
      return this;
    }

    /** Adds an SSH key by id. */
    public Builder sshKey(long id) {
      sshKeys.add(Long.toString(id));
      return this;
    }

    /** Adds an SSH key by name. */
    public Builder sshKey(String name) {
      sshKeys.add(name);
      return this;
    }

    /** Cloud-init user data, at most 32 KiB. */
    public Builder userData(String userData) {
      this.userData = userData;
      return this;
    }

    /** Whether the server starts after create (default true). */
    public Builder startAfterCreate(boolean start) {
      this.startAfterCreate = start;
      return this;
    }

    /** Adds one label. */
    public Builder label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    /** Adds labels. */
    public Builder labels(Map<String, String> more) {
      labels.putAll(more);
      return this;
    }

    /** Whether the server gets a public IPv4 (default true). */
    public Builder enableIpv4(boolean enable) {
      this.enableIpv4 = enable;
      return this;
    }

    /** Whether the server gets a public IPv6 /64 (default true). */
    public Builder enableIpv6(boolean enable) {
      this.enableIpv6 = enable;
      return this;
    }

    public CreateServerRequest build() {
      return new CreateServerRequest(
          name,
          serverType,
          image,
          location,
          sshKeys,
          userData,
          startAfterCreate,
          labels,
          enableIpv4,
          enableIpv6);
    }
  }
}
