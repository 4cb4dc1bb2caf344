package dev.goldsmith.verifier.cloud;

import java.util.Map;

/**
 * What a test server is created from. {@code userData} carries the generated host private key, so
 * {@link #toString()} shows only its length.
 */
public record TestServerRequest(
    String name,
    String serverType,
    String location,
    long imageId,
    long sshKeyId,
    String userData,
    Map<String, String> labels) {

  @Override
  public String toString() {
    return "TestServerRequest[name="
        + name
        + ", serverType="
        + serverType
        + ", location="
        + location
        + ", imageId="
        + imageId
        + ", sshKeyId="
        + sshKeyId
        + ", userData="
        + (userData == null ? "none" : userData.length() + " chars")
        + ", labels="
        + labels
        + "]";
  }
}
