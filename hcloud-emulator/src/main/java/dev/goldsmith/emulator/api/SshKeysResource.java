package dev.goldsmith.emulator.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestPath;

import dev.goldsmith.emulator.state.Project;
import dev.goldsmith.emulator.state.SshKeyState;
import dev.goldsmith.emulator.state.Store;

/** {@code /v1/ssh_keys}. */
@Path("/v1/ssh_keys")
@Produces(MediaType.APPLICATION_JSON)
public class SshKeysResource {
  private final RequestContext request;
  private final Store store;
  private final Views views;

  public SshKeysResource(RequestContext request, Store store, Views views) {
    this.request = request;
    this.store = store;
    this.views = views;
  }

  @GET
  public Map<String, Object> list(@Context UriInfo uri) {
    Query q = new Query(uri);
    var name = q.one("name");
    var fingerprint = q.one("fingerprint");
    var selector = q.labelSelector();
    Map<String, Function<SshKeyState, Comparable<?>>> sortable =
        Map.of("id", k -> k.id, "name", k -> k.name, "created", k -> k.created);
    var sort = q.<SshKeyState>sort(sortable);
    Project p = request.project();
    synchronized (p) {
      List<SshKeyState> matching =
          p.sshKeys.values().stream()
              .filter(k -> name.isEmpty() || name.get().equals(k.name))
              .filter(k -> fingerprint.isEmpty() || fingerprint.get().equals(k.fingerprint))
              .filter(k -> selector.isEmpty() || selector.get().test(k.labels))
              .toList();
      Query.Page<SshKeyState> page = q.page(matching, sort);
      return new Query.Page<>(page.items().stream().map(views::sshKey).toList(), page.meta())
          .envelope("ssh_keys");
    }
  }

  @GET
  @Path("/{id}")
  public Map<String, Object> get(@RestPath long id) {
    Project p = request.project();
    synchronized (p) {
      return Map.of("ssh_key", views.sshKey(key(p, id)));
    }
  }

  @POST
  public Response create(String text) {
    Body b = Body.parse(text, Set.of("name", "public_key", "labels"));
    String name = b.requiredString("name");
    if (name.isBlank()) {
      throw ApiException.invalidField("name", "name must not be empty");
    }
    String publicKey = b.requiredString("public_key").trim();
    String fingerprint = fingerprint(publicKey);
    Map<String, String> labels = b.labels("labels").orElse(Map.of());
    Project p = request.project();
    synchronized (p) {
      if (p.sshKeys.values().stream().anyMatch(k -> k.name.equals(name))) {
        throw ApiException.uniqueness("name", "SSH key with the same name already exists");
      }
      if (p.sshKeys.values().stream().anyMatch(k -> k.fingerprint.equals(fingerprint))) {
        throw ApiException.uniqueness(
            "public_key", "SSH key with the same fingerprint already exists");
      }
      SshKeyState k = new SshKeyState();
      k.id = store.nextSshKeyId();
      k.name = name;
      k.publicKey = publicKey;
      k.fingerprint = fingerprint;
      k.labels.putAll(labels);
      k.created = Times.now();
      p.sshKeys.put(k.id, k);
      store.changed();
      return Response.status(201).entity(Map.of("ssh_key", views.sshKey(k))).build();
    }
  }

  @PUT
  @Path("/{id}")
  public Map<String, Object> update(@RestPath long id, String text) {
    Body b = Body.parse(text, Set.of("name", "labels"));
    var name = b.string("name");
    var labels = b.labels("labels");
    Project p = request.project();
    synchronized (p) {
      SshKeyState k = key(p, id);
      if (name.isPresent()
          && p.sshKeys.values().stream().anyMatch(x -> x.id != id && x.name.equals(name.get()))) {
        throw ApiException.uniqueness("name", "SSH key with the same name already exists");
      }
      name.ifPresent(n -> k.name = n);
      labels.ifPresent(
          l -> {
            k.labels.clear();
            k.labels.putAll(l);
          });
      store.changed();
      return Map.of("ssh_key", views.sshKey(k));
    }
  }

  @DELETE
  @Path("/{id}")
  public Response delete(@RestPath long id) {
    Project p = request.project();
    synchronized (p) {
      key(p, id);
      p.sshKeys.remove(id);
    }
    store.changed();
    return Response.noContent().build();
  }

  private static SshKeyState key(Project p, long id) {
    SshKeyState k = p.sshKeys.get(id);
    if (k == null) {
      throw ApiException.notFound("SSH key");
    }
    return k;
  }

  /** MD5 of the decoded key blob as colon-separated hex; invalid keys are invalid_input. */
  static String fingerprint(String publicKey) {
    String[] parts = publicKey.trim().split("\\s+");
    if (parts.length < 2 || !parts[0].matches("(ssh|ecdsa|sk)-[A-Za-z0-9@.-]+")) {
      throw ApiException.invalidField("public_key", "invalid public key");
    }
    byte[] blob;
    try {
      blob = Base64.getDecoder().decode(parts[1]);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidField("public_key", "invalid public key");
    }
    // the blob starts with the key type as an SSH string; it must match the declared type
    if (blob.length < 4) {
      throw ApiException.invalidField("public_key", "invalid public key");
    }
    int len =
        ((blob[0] & 0xff) << 24)
            | ((blob[1] & 0xff) << 16)
            | ((blob[2] & 0xff) << 8)
            | (blob[3] & 0xff);
    if (len <= 0
        || len > blob.length - 4
        || !new String(blob, 4, len, StandardCharsets.US_ASCII).equals(parts[0])) {
      throw ApiException.invalidField("public_key", "invalid public key");
    }
    try {
      byte[] md5 = MessageDigest.getInstance("MD5").digest(blob);
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < md5.length; i++) {
        if (i > 0) {
          b.append(':');
        }
        b.append(String.format("%02x", md5[i]));
      }
      return b.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
