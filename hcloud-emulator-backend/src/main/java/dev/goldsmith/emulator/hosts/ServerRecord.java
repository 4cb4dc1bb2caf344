package dev.goldsmith.emulator.hosts;

import java.util.List;
import java.util.Map;

/**
 * What the hosts backend persists per server in {@code <state-dir>/servers/<id>/server.json}, so a
 * restarted emulator can reclaim the server. Immutable; changes write a new record.
 *
 * @param id API server id
 * @param name hostname
 * @param index address allocation index (1..250)
 * @param lowers overlay lower layers, topmost first
 * @param systemImage system image at the root of the chain
 * @param authorizedKeys keys for root from the create request
 * @param userData cloud-init user data, or null
 * @param labels labels at create time
 * @param faultIds ids of selector fault rules bound at create time
 * @param pid pid of the systemd-nspawn process while running, else 0
 */
record ServerRecord(
    long id,
    String name,
    int index,
    List<String> lowers,
    String systemImage,
    List<String> authorizedKeys,
    String userData,
    Map<String, String> labels,
    List<String> faultIds,
    long pid) {

  ServerRecord withPid(long p) {
    return new ServerRecord(
        id, name, index, lowers, systemImage, authorizedKeys, userData, labels, faultIds, p);
  }

  ServerRecord withLowers(List<String> l) {
    return new ServerRecord(
        id,
        name,
        index,
        List.copyOf(l),
        systemImage,
        authorizedKeys,
        userData,
        labels,
        faultIds,
        pid);
  }

  ServerRecord withFaultIds(List<String> f) {
    return new ServerRecord(
        id,
        name,
        index,
        lowers,
        systemImage,
        authorizedKeys,
        userData,
        labels,
        List.copyOf(f),
        pid);
  }

  /** A layer chain persisted per snapshot image in {@code <state-dir>/images/<id>.json}. */
  record Image(long imageId, List<String> lowers, long size) {}
}
