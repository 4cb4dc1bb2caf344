package dev.goldsmith.emulator.hosts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.goldsmith.emulator.backend.InvalidRuleException;
import dev.goldsmith.emulator.backend.ServerBackend;
import dev.goldsmith.emulator.backend.ServerFaultKind;
import dev.goldsmith.emulator.backend.ServerFaultRule;

/**
 * The {@code hosts} backend: every server is a real Linux host. A server is a network namespace
 * (veth into this instance's bridge, its own IPv4 and its own routed IPv6 /64), an overlay
 * filesystem over immutable image layers, and a real systemd booted by {@code systemd-nspawn -b}
 * running detached. Snapshots are layers; apt goes through this instance's apt-cacher-ng.
 *
 * <p>Every name on the machine starts with {@link HostsConfig#namePrefix()} followed by the server
 * id, so crash recovery can find and remove exactly this instance's leftovers.
 */
public final class HostsBackend implements ServerBackend {

  private static final Logger LOG = Logger.getLogger(HostsBackend.class.getName());
  private static final SecureRandom RANDOM = new SecureRandom();
  static final Set<ServerFaultKind> FAULT_KINDS =
      Set.copyOf(
          EnumSet.of(
              ServerFaultKind.IPV4_DROP,
              ServerFaultKind.IPV6_DROP,
              ServerFaultKind.SSHD_STOPPED,
              ServerFaultKind.SLOW_BOOT));

  /** Written to console.log before every power-on, so a failure shows only that boot's output. */
  static final String BOOT_MARK = "-- goldsmith emulator: power on at ";

  /** Tools the backend runs, with the Debian package that provides each. */
  static final Map<String, String> TOOLS =
      Map.ofEntries(
          Map.entry("ip", "iproute2"),
          Map.entry("mount", "mount"),
          Map.entry("umount", "mount"),
          Map.entry("systemd-nspawn", "systemd-container"),
          Map.entry("mmdebstrap", "mmdebstrap"),
          Map.entry("apt-cacher-ng", "apt-cacher-ng"),
          Map.entry("zstd", "zstd"),
          Map.entry("tar", "tar"),
          Map.entry("ssh-keygen", "openssh-client"),
          Map.entry("nft", "nftables"),
          Map.entry("nsenter", "util-linux"),
          Map.entry("setsid", "util-linux"),
          Map.entry("chroot", "coreutils"),
          Map.entry("cp", "coreutils"),
          Map.entry("du", "coreutils"));

  private final HostsConfig cfg;
  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final Map<Long, ServerRecord> servers = new ConcurrentHashMap<>();
  private final Map<Long, ServerRecord.Image> images = new ConcurrentHashMap<>();
  private final Map<String, ServerFaultRule> faults = new LinkedHashMap<>();
  private final Map<Long, Integer> allocated = new ConcurrentHashMap<>();
  private final Map<Long, Object> locks = new ConcurrentHashMap<>();

  /**
   * The nspawn processes this JVM started, by server id: their exit status explains a failed boot.
   */
  private final Map<Long, Process> nspawns = new ConcurrentHashMap<>();

  private final Pattern ownName;
  private final AptCacher acng;
  private volatile Path systemLayer;
  private volatile long systemLayerSize;
  private AptSources sources;
  private FileChannel instanceLockChannel;
  private FileLock instanceLock;
  private volatile boolean started;

  public HostsBackend(HostsConfig cfg) {
    this.cfg = cfg;
    this.ownName = Pattern.compile("^" + Pattern.quote(cfg.namePrefix()) + "(\\d+)$");
    this.acng = new AptCacher(cfg);
  }

  @Override
  public String name() {
    return "hosts";
  }

  public HostsConfig config() {
    return cfg;
  }

  // ---------------------------------------------------------------- lifecycle

  @Override
  public synchronized void start() {
    if (started) {
      return;
    }
    checkPrerequisites();
    try {
      Files.createDirectories(cfg.stateDir());
      instanceLockChannel =
          FileChannel.open(
              cfg.stateDir().resolve("instance.lock"),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE);
      try {
        instanceLock = instanceLockChannel.tryLock();
      } catch (java.nio.channels.OverlappingFileLockException e) {
        instanceLock = null; // held by another backend in this JVM
      }
      if (instanceLock == null) {
        instanceLockChannel.close();
        throw new BackendException(
            "hosts backend instance "
                + cfg.instance()
                + " is already used by another emulator (lock "
                + cfg.stateDir().resolve("instance.lock")
                + "); give this one another emulator.hosts.instance");
      }
      for (String d : List.of("servers", "layers", "images")) {
        Files.createDirectories(cfg.stateDir().resolve(d));
      }
    } catch (IOException e) {
      throw new BackendException("cannot prepare state dir " + cfg.stateDir(), e);
    }
    try {
      checkAddressRanges();
      sources = AptSources.read(cfg.aptSources());
      Path tar =
          BaseImage.ensure(
              cfg.imageCacheDir(), sources, cfg.rebuildBaseImage(), cfg.imageBuildTimeout());
      prepareSystemLayer(tar);
      loadState();
      ensureBridge();
      reconcile();
      acng.stopStale();
      acng.start(sources);
      started = true;
      LOG.info(
          "hosts backend instance "
              + cfg.instance()
              + " ready: bridge "
              + cfg.bridge()
              + " "
              + cfg.ipv4Prefix()
              + ".0/24 "
              + cfg.ipv6Prefix()
              + "::/48, apt proxy "
              + acng.proxyUrl()
              + ", "
              + servers.size()
              + " server(s) reclaimed");
    } catch (RuntimeException e) {
      releaseInstanceLock();
      throw e;
    }
  }

  /**
   * Stops every server, removes this instance's namespaces, veths, mounts, bridge and
   * apt-cacher-ng. Server disks and images stay on disk; a later start reclaims them (unless {@code
   * reclaim=false}).
   */
  @Override
  public synchronized void stop() {
    if (!started) {
      return;
    }
    for (Long id : new ArrayList<>(servers.keySet())) {
      synchronized (lock(id)) {
        ServerRecord r = servers.get(id);
        if (r == null) {
          continue;
        }
        try {
          kill(r);
          unmount(r);
          removeNetwork(r);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "server " + id + " not fully stopped; remove it by hand", e);
        }
      }
    }
    acng.stop();
    Cmd.run(cfg.commandTimeout(), "ip", "link", "del", cfg.bridge());
    cleanNspawnLeftovers();
    started = false;
    releaseInstanceLock();
  }

  /**
   * Test hook that simulates a crash: forgets everything and releases the instance lock, leaving
   * servers, mounts and namespaces as they are, for a new backend to reclaim.
   */
  synchronized void abandonForTest() {
    started = false;
    releaseInstanceLock();
  }

  private void releaseInstanceLock() {
    try {
      if (instanceLock != null) {
        instanceLock.release();
      }
      if (instanceLockChannel != null) {
        instanceLockChannel.close();
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot release instance lock", e);
    }
    instanceLock = null;
    instanceLockChannel = null;
  }

  /** Root, kernel overlayfs and every tool; names what is missing and which package provides it. */
  static void checkPrerequisites() {
    List<String> problems = new ArrayList<>();
    try {
      String status = Files.readString(Path.of("/proc/self/status"));
      boolean root = status.lines().anyMatch(l -> l.matches("Uid:\\s+0\\s.*"));
      if (!root) {
        problems.add("the hosts backend must run as root (netns, overlay mounts, nspawn)");
      }
      if (!Files.readString(Path.of("/proc/filesystems")).contains("overlay")) {
        Cmd.run(Duration.ofSeconds(10), "modprobe", "overlay");
        if (!Files.readString(Path.of("/proc/filesystems")).contains("overlay")) {
          problems.add("the kernel has no overlay filesystem");
        }
      }
    } catch (IOException e) {
      problems.add("cannot read /proc: " + e.getMessage());
    }
    List<String> missing = new ArrayList<>();
    Set<String> pkgs = new java.util.TreeSet<>();
    for (var t : new java.util.TreeMap<>(TOOLS).entrySet()) {
      if (which(t.getKey()).isEmpty()) {
        missing.add(t.getKey() + " (package " + t.getValue() + ")");
        pkgs.add(t.getValue());
      }
    }
    if (!missing.isEmpty()) {
      problems.add(
          "missing tools: "
              + String.join(", ", missing)
              + "; install with: apt-get install --no-install-recommends "
              + String.join(" ", pkgs));
    }
    if (!problems.isEmpty()) {
      throw new BackendException("hosts backend cannot start: " + String.join("; ", problems));
    }
  }

  static Optional<Path> which(String tool) {
    List<String> dirs =
        new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
    dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
    for (String d : dirs) {
      if (d.isEmpty()) {
        continue;
      }
      Path p = Path.of(d, tool);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /**
   * Refuses to start when the machine already uses addresses that overlap this instance's ranges.
   */
  private void checkAddressRanges() {
    Cmd.Result r = Cmd.run(cfg.commandTimeout(), "ip", "-j", "addr", "show").check();
    List<String> clashes = new ArrayList<>();
    try {
      for (JsonNode link : json.readTree(r.out())) {
        String ifname = link.path("ifname").asText();
        if (ifname.equals(cfg.bridge())) {
          continue;
        }
        for (JsonNode a : link.path("addr_info")) {
          String local = a.path("local").asText();
          int len = a.path("prefixlen").asInt();
          String fam = a.path("family").asText();
          boolean clash =
              fam.equals("inet")
                  ? overlaps(local, len, cfg.ipv4Prefix() + ".0", 24)
                  : fam.equals("inet6") && overlaps(local, len, cfg.ipv6Prefix() + "::", 48);
          if (clash) {
            clashes.add(ifname + " " + local + "/" + len);
          }
        }
      }
    } catch (IOException e) {
      throw new BackendException("cannot parse ip -j addr", e);
    }
    if (!clashes.isEmpty()) {
      throw new BackendException(
          "address ranges of hosts instance "
              + cfg.instance()
              + " ("
              + cfg.ipv4Prefix()
              + ".0/24, "
              + cfg.ipv6Prefix()
              + "::/48) overlap addresses in use: "
              + clashes
              + "; set emulator.hosts.ipv4-prefix / ipv6-prefix or another instance");
    }
  }

  static boolean overlaps(String a, int lenA, String b, int lenB) {
    try {
      byte[] x = InetAddress.getByName(a).getAddress();
      byte[] y = InetAddress.getByName(b).getAddress();
      if (x.length != y.length) {
        return false;
      }
      int bits = Math.min(lenA, lenB);
      for (int i = 0; i < bits; i++) {
        int bx = (x[i / 8] >> (7 - i % 8)) & 1;
        int by = (y[i / 8] >> (7 - i % 8)) & 1;
        if (bx != by) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private void prepareSystemLayer(Path tar) {
    try {
      long stamp = Files.getLastModifiedTime(tar).toMillis();
      Path layer = cfg.stateDir().resolve("layers").resolve("sys-" + BaseImage.NAME + "-" + stamp);
      if (!Files.isDirectory(layer)) {
        BaseImage.extract(tar, layer, cfg.commandTimeout());
      }
      systemLayer = layer;
      systemLayerSize = du(List.of(layer.toString()));
    } catch (IOException e) {
      throw new BackendException("cannot unpack the base image " + tar, e);
    }
  }

  private void loadState() {
    servers.clear();
    images.clear();
    try {
      try (var s = Files.list(cfg.stateDir().resolve("servers"))) {
        for (Path d : s.toList()) {
          Path f = d.resolve("server.json");
          if (Files.isRegularFile(f)) {
            ServerRecord r = json.readValue(f.toFile(), ServerRecord.class);
            servers.put(r.id(), r);
          }
        }
      }
      try (var s = Files.list(cfg.stateDir().resolve("images"))) {
        for (Path f : s.toList()) {
          if (f.toString().endsWith(".json")) {
            ServerRecord.Image i = json.readValue(f.toFile(), ServerRecord.Image.class);
            images.put(i.imageId(), i);
          }
        }
      }
      Path ff = cfg.stateDir().resolve("faults.json");
      synchronized (faults) {
        faults.clear();
        if (Files.isRegularFile(ff)) {
          for (ServerFaultRule f : readFaults(ff)) {
            faults.put(f.id(), f);
          }
        }
      }
    } catch (IOException e) {
      throw new BackendException("cannot read state in " + cfg.stateDir(), e);
    }
  }

  private void ensureBridge() {
    if (!Files.exists(Path.of("/sys/class/net/" + cfg.bridge()))) {
      Cmd.run(cfg.commandTimeout(), "ip", "link", "add", cfg.bridge(), "type", "bridge").check();
    }
    Cmd.run(
            cfg.commandTimeout(),
            "ip",
            "addr",
            "replace",
            cfg.bridgeIpv4() + "/24",
            "dev",
            cfg.bridge())
        .check();
    Cmd.run(
            cfg.commandTimeout(),
            "ip",
            "-6",
            "addr",
            "replace",
            cfg.bridgeIpv6() + "/64",
            "dev",
            cfg.bridge(),
            "nodad")
        .check();
    Cmd.run(cfg.commandTimeout(), "ip", "link", "set", cfg.bridge(), "up").check();
  }

  /**
   * Crash recovery: reclaims servers that have records, removes this instance's namespaces, veths,
   * mounts and nspawn processes that have none. Only prefix-named things are touched.
   */
  private void reconcile() {
    if (!cfg.reclaim()) {
      for (ServerRecord r : new ArrayList<>(servers.values())) {
        deleteInternal(r);
      }
    }
    // stray nspawn processes of this instance
    ProcessHandle.allProcesses()
        .forEach(
            h -> {
              List<String> cl = Procs.cmdline(h.pid());
              if (cl.isEmpty() || !cl.get(0).endsWith("systemd-nspawn")) {
                return;
              }
              for (String a : cl) {
                if (a.startsWith("--machine=")) {
                  var m = ownName.matcher(a.substring("--machine=".length()));
                  if (m.matches()) {
                    ServerRecord r = servers.get(Long.parseLong(m.group(1)));
                    if (r == null || r.pid() != h.pid()) {
                      LOG.warning("killing stray server process " + h.pid() + " " + a);
                      killNspawn(h.pid());
                    }
                  }
                }
              }
            });
    // stray overlay mounts under our state dir
    for (String mp : mountPoints()) {
      if (mp.startsWith(cfg.stateDir().resolve("servers") + "/")) {
        String rest = mp.substring((cfg.stateDir().resolve("servers") + "/").length());
        String idPart = rest.split("/")[0];
        boolean known = idPart.matches("\\d+") && servers.containsKey(Long.parseLong(idPart));
        if (!known) {
          LOG.warning("unmounting stray mount " + mp);
          umountPath(mp);
        }
      }
    }
    // stray namespaces
    try (var s = Files.list(Path.of("/run/netns"))) {
      for (Path p : s.toList()) {
        var m = ownName.matcher(p.getFileName().toString());
        if (m.matches() && !servers.containsKey(Long.parseLong(m.group(1)))) {
          LOG.warning("removing stray namespace " + p.getFileName());
          killNetnsProcesses(p.getFileName().toString());
          Cmd.run(cfg.commandTimeout(), "ip", "netns", "del", p.getFileName().toString());
        }
      }
    } catch (IOException e) {
      // no /run/netns yet: nothing stray
    }
    // stray veths
    for (String ifname : ownLinks()) {
      var m = ownName.matcher(ifname);
      if (m.matches() && !servers.containsKey(Long.parseLong(m.group(1)))) {
        LOG.warning("removing stray veth " + ifname);
        Cmd.run(cfg.commandTimeout(), "ip", "link", "del", ifname);
      }
    }
    // stray server dirs without a record
    try (var s = Files.list(cfg.stateDir().resolve("servers"))) {
      for (Path d : s.toList()) {
        String n = d.getFileName().toString();
        if (n.matches("\\d+")
            && !servers.containsKey(Long.parseLong(n))
            && !isMounted(d.resolve("merged"))) {
          RootFs.deleteRecursively(d);
        }
      }
    } catch (IOException e) {
      throw new BackendException("cannot list servers in " + cfg.stateDir(), e);
    }
    // reclaim servers with records
    for (ServerRecord r : new ArrayList<>(servers.values())) {
      synchronized (lock(r.id())) {
        allocated.put(r.id(), r.index());
        boolean running = nspawnAlive(r);
        if (!running && r.pid() != 0) {
          save(r.withPid(0));
          r = servers.get(r.id());
        }
        ensureNetwork(r);
        if (!running) {
          ensureMounted(r);
        }
        LOG.info("reclaimed server " + r.id() + (running ? " (running)" : " (off)"));
      }
    }
    cleanNspawnLeftovers();
    gcLayers();
  }

  // ---------------------------------------------------------------- servers

  @Override
  public synchronized Addresses allocateAddresses(long serverId) {
    Integer idx = allocated.get(serverId);
    if (idx == null) {
      Set<Integer> used = new HashSet<>(allocated.values());
      for (int i = 1; i <= cfg.maxServers(); i++) {
        if (!used.contains(i)) {
          idx = i;
          break;
        }
      }
      if (idx == null) {
        throw new BackendException(
            "hosts backend: all " + cfg.maxServers() + " server addresses are in use");
      }
      allocated.put(serverId, idx);
    }
    return new Addresses(cfg.serverIpv4(idx), cfg.serverIpv6Net(idx) + "/64");
  }

  @Override
  public void create(ServerSpec spec) {
    requireStarted();
    synchronized (lock(spec.serverId())) {
      ServerRecord old = servers.get(spec.serverId());
      if (old != null) {
        deleteInternal(old);
      }
      allocateAddresses(spec.serverId());
      int index = allocated.get(spec.serverId());
      String systemImage = spec.systemImageName() == null ? BaseImage.NAME : spec.systemImageName();
      List<String> lowers = lowersOf(spec.imageId(), systemImage);
      List<String> boundFaults = new ArrayList<>();
      synchronized (faults) {
        for (ServerFaultRule f : faults.values()) {
          if (f.selects(spec.labels())) {
            boundFaults.add(f.id());
          }
        }
      }
      ServerRecord r =
          new ServerRecord(
              spec.serverId(),
              spec.name(),
              index,
              List.copyOf(lowers),
              systemImage,
              spec.authorizedKeys() == null ? List.of() : List.copyOf(spec.authorizedKeys()),
              spec.userData(),
              spec.labels() == null ? Map.of() : Map.copyOf(spec.labels()),
              boundFaults,
              0);
      try {
        Files.createDirectories(dir(r).resolve("upper"));
        Files.createDirectories(dir(r).resolve("work"));
        Files.createDirectories(dir(r).resolve("merged"));
        save(r);
        ensureMounted(r);
        personalise(r);
        ensureNetwork(r);
      } catch (IOException | RuntimeException e) {
        try {
          deleteInternal(r);
        } catch (RuntimeException cleanup) {
          e.addSuppressed(cleanup);
        }
        if (e instanceof BackendException be) {
          throw be;
        }
        throw new BackendException(
            "cannot create server " + spec.serverId() + ": " + e.getMessage(), e);
      }
    }
  }

  private List<String> lowersOf(long imageId, String systemImageName) {
    ServerRecord.Image img = images.get(imageId);
    if (img != null) {
      return img.lowers();
    }
    if (!BaseImage.NAME.equals(systemImageName)) {
      throw new BackendException(
          "the hosts backend has only the system image "
              + BaseImage.NAME
              + ", not "
              + systemImageName);
    }
    return List.of(systemLayer.toString());
  }

  /** Fresh identity on the (unmounted-from-nspawn) disk: keys, machine-id, hostname, user data. */
  private void personalise(ServerRecord r) {
    RootFs fs = new RootFs(dir(r).resolve("merged"));
    CloudInit ci = CloudInit.parse(r.userData());
    Path etcSsh = fs.mkdirs("/etc/ssh");
    try (var s = Files.list(etcSsh)) {
      for (Path p : s.toList()) {
        if (p.getFileName().toString().startsWith("ssh_host_")) {
          Files.delete(p);
        }
      }
    } catch (IOException e) {
      throw new BackendException("cannot remove inherited host keys", e);
    }
    List<String> hostKeyFiles = new ArrayList<>();
    if (!ci.hostKeys.isEmpty()) {
      for (var e : ci.hostKeys.entrySet()) {
        String type = e.getKey().substring(0, e.getKey().indexOf('_'));
        String file = "/etc/ssh/ssh_host_" + type + "_key";
        if (e.getKey().endsWith("_private")) {
          String v = e.getValue().endsWith("\n") ? e.getValue() : e.getValue() + "\n";
          fs.write(file, v, "600");
          hostKeyFiles.add(file);
        } else {
          fs.write(file + ".pub", e.getValue().strip() + "\n", "644");
        }
      }
    } else {
      Path tmp = null;
      try {
        tmp = Files.createTempDirectory("gs-hostkey");
        Path key = tmp.resolve("k");
        Cmd.run(
                cfg.commandTimeout(),
                "ssh-keygen",
                "-q",
                "-t",
                "ed25519",
                "-N",
                "",
                "-C",
                "root@" + r.name(),
                "-f",
                key.toString())
            .check();
        fs.write("/etc/ssh/ssh_host_ed25519_key", Files.readAllBytes(key), "600");
        fs.write(
            "/etc/ssh/ssh_host_ed25519_key.pub", Files.readAllBytes(tmp.resolve("k.pub")), "644");
        hostKeyFiles.add("/etc/ssh/ssh_host_ed25519_key");
      } catch (IOException e) {
        throw new BackendException("cannot generate host key", e);
      } finally {
        if (tmp != null) {
          RootFs.deleteRecursively(tmp);
        }
      }
    }
    StringBuilder hk = new StringBuilder("# host keys of this server (goldsmith emulator)\n");
    hostKeyFiles.forEach(f -> hk.append("HostKey ").append(f).append('\n'));
    fs.write("/etc/ssh/sshd_config.d/00-goldsmith-hostkeys.conf", hk.toString(), "644");
    byte[] id = new byte[16];
    RANDOM.nextBytes(id);
    fs.write("/etc/machine-id", HexFormat.of().formatHex(id) + "\n", "444");
    fs.write("/etc/hostname", r.name() + "\n", "644");
    fs.write(
        "/etc/hosts",
        "127.0.0.1\tlocalhost\n127.0.1.1\t"
            + r.name()
            + "\n::1\tlocalhost ip6-localhost ip6-loopback\n",
        "644");
    List<String> rootKeys = new ArrayList<>(r.authorizedKeys());
    rootKeys.addAll(ci.rootKeys);
    fs.mkdirs("/root/.ssh");
    try {
      RootFs.chmod(fs.resolve("/root/.ssh"), "700");
    } catch (IOException e) {
      throw new BackendException("cannot chmod /root/.ssh", e);
    }
    fs.chown("/root/.ssh", "root");
    String existing = fs.read("/root/.ssh/authorized_keys").orElse("");
    fs.write("/root/.ssh/authorized_keys", appendKeys(existing, rootKeys), "600");
    fs.chown("/root/.ssh/authorized_keys", "root");
    fs.write(
        "/etc/apt/apt.conf.d/01goldsmith-proxy",
        "Acquire::http::Proxy \"" + acng.proxyUrl() + "\";\n",
        "644");
    ci.apply(fs, cfg.commandTimeout());
  }

  /**
   * Root's authorized_keys as cloud-init leaves it: the image's lines stay, each key is appended
   * unless an identical line is already there (a leftover key in a snapshot survives, as on
   * Hetzner).
   */
  static String appendKeys(String existing, List<String> keys) {
    StringBuilder out = new StringBuilder(existing);
    if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
      out.append('\n');
    }
    Set<String> present = new HashSet<>();
    existing.lines().map(String::strip).forEach(present::add);
    for (String k : keys) {
      String line = k.strip();
      if (!line.isEmpty() && present.add(line)) {
        out.append(line).append('\n');
      }
    }
    return out.toString();
  }

  @Override
  public void powerOn(long serverId) {
    requireStarted();
    synchronized (lock(serverId)) {
      ServerRecord r = record(serverId);
      if (nspawnAlive(r)) {
        return;
      }
      ensureNetwork(r);
      ensureMounted(r);
      cleanNspawnLeftovers(machine(r));
      List<ServerFaultRule> active = activeFaults(r);
      Optional<ServerFaultRule> slow =
          active.stream().filter(f -> f.kind() == ServerFaultKind.SLOW_BOOT).findFirst();
      boolean sshdStopped = active.stream().anyMatch(f -> f.kind() == ServerFaultKind.SSHD_STOPPED);
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  "setsid",
                  "systemd-nspawn",
                  "--quiet",
                  "--boot",
                  "--machine=" + machine(r),
                  "--directory=" + dir(r).resolve("merged"),
                  "--network-namespace-path=/run/netns/" + machine(r),
                  "--register=no",
                  "--keep-unit",
                  "--resolv-conf=off",
                  "--timezone=off",
                  "--link-journal=no",
                  "--console=read-only"));
      if (r.name() != null && r.name().matches("[a-zA-Z0-9][a-zA-Z0-9.-]{0,62}")) {
        cmd.add("--hostname=" + r.name());
      }
      try {
        Path dropIn = dir(r).resolve("slow-boot.conf");
        if (slow.isPresent()) {
          Files.writeString(
              dropIn,
              "[Service]\nTimeoutStartSec=infinity\nExecStartPre=/bin/sleep "
                  + slow.get().seconds()
                  + "\n");
          cmd.add(
              "--bind-ro="
                  + dropIn
                  + ":/run/systemd/system/ssh.service.d/goldsmith-slow-boot.conf");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.redirectErrorStream(true);
        Path console = dir(r).resolve("console.log");
        Files.writeString(
            console,
            BOOT_MARK + java.time.Instant.now() + "\n",
            StandardCharsets.UTF_8,
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()));
        Process p = pb.start();
        nspawns.put(r.id(), p);
        r = r.withPid(p.pid());
        save(r);
      } catch (IOException e) {
        throw new BackendException("cannot start server " + serverId + ": " + e.getMessage(), e);
      }
      waitBooted(r, slow.isPresent(), sshdStopped);
    }
  }

  private void waitBooted(ServerRecord r, boolean slowBoot, boolean sshdStopped) {
    long end = System.nanoTime() + cfg.bootTimeout().toNanos();
    while (System.nanoTime() < end) {
      if (!nspawnAlive(r)) {
        cleanNspawnLeftovers(machine(r));
        save(r.withPid(0));
        throw new BackendException(
            "server "
                + r.id()
                + " stopped while booting ("
                + exitStatus(r.id())
                + "): "
                + consoleTail(r));
      }
      if (slowBoot) {
        // The API says running; sshd answers only after the delay, which is the point of the fault.
        if (Procs.containerInit(r.pid()) > 0) {
          return;
        }
      } else if (sshAccepts(r)) {
        if (sshdStopped) {
          inServer(r, "systemctl", "stop", "ssh.service");
        }
        return;
      }
      Procs.sleep(50);
    }
    kill(r);
    throw new BackendException(
        "server "
            + r.id()
            + " did not boot to sshd within "
            + cfg.bootTimeout().toSeconds()
            + " s: "
            + consoleTail(r));
  }

  /**
   * Whether sshd of the server accepts TCP, checked inside its network namespace (faults aside).
   */
  private boolean sshAccepts(ServerRecord r) {
    Set<ServerFaultKind> dropped = EnumSet.noneOf(ServerFaultKind.class);
    activeFaults(r).forEach(f -> dropped.add(f.kind()));
    String addr = null;
    if (!dropped.contains(ServerFaultKind.IPV4_DROP)) {
      addr = cfg.serverIpv4(r.index());
    } else if (!dropped.contains(ServerFaultKind.IPV6_DROP)) {
      addr = cfg.serverIpv6(r.index());
    }
    if (addr != null) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(addr, 22), 300);
        return true;
      } catch (IOException e) {
        return false;
      }
    }
    return Cmd.run(
            Duration.ofSeconds(5),
            "ip",
            "netns",
            "exec",
            machine(r),
            "bash",
            "-c",
            "exec 3<>/dev/tcp/127.0.0.1/22")
        .ok();
  }

  /** How the nspawn of the server's last power-on ended, as far as this JVM saw it. */
  private String exitStatus(long serverId) {
    Process p = nspawns.get(serverId);
    if (p == null) {
      return "exit status unknown";
    }
    try {
      if (!p.waitFor(2, TimeUnit.SECONDS)) {
        return "nspawn still running";
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
    int code = p.exitValue();
    return code > 128 ? "nspawn killed by signal " + (code - 128) : "nspawn exit code " + code;
  }

  /** The console output of the last power-on only (from its marker line). */
  private String consoleTail(ServerRecord r) {
    try {
      List<String> all = Files.readAllLines(dir(r).resolve("console.log"), StandardCharsets.UTF_8);
      int from = 0;
      for (int i = all.size() - 1; i >= 0; i--) {
        if (all.get(i).startsWith(BOOT_MARK)) {
          from = i + 1;
          break;
        }
      }
      List<String> lines = all.subList(from, all.size());
      if (lines.isEmpty()) {
        return "(no console output of this power-on)";
      }
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no console log)";
    }
  }

  /** Runs a command inside the running server (all its namespaces). */
  Cmd.Result inServer(ServerRecord r, String... args) {
    long init = Procs.containerInit(r.pid());
    if (init <= 0) {
      throw new BackendException("server " + r.id() + " is not running");
    }
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "nsenter",
                "--target",
                String.valueOf(init),
                "--mount",
                "--uts",
                "--ipc",
                "--net",
                "--pid",
                "--"));
    cmd.addAll(List.of(args));
    return Cmd.run(cfg.commandTimeout(), null, cmd);
  }

  /** Runs a command inside a running server; for tests and tools. */
  public String exec(long serverId, String... args) {
    Cmd.Result res = inServer(record(serverId), args).check();
    return res.out();
  }

  @Override
  public void powerOff(long serverId) {
    requireStarted();
    synchronized (lock(serverId)) {
      kill(record(serverId));
    }
  }

  @Override
  public void requestShutdown(long serverId) {
    requireStarted();
    ServerRecord r = record(serverId);
    if (nspawnAlive(r)) {
      // nspawn turns SIGTERM into SIGRTMIN+3 for the container's systemd: a clean poweroff.
      Procs.term(r.pid());
    }
  }

  @Override
  public boolean isRunning(long serverId) {
    ServerRecord r = servers.get(serverId);
    if (r == null) {
      return false;
    }
    boolean alive = nspawnAlive(r);
    if (!alive && r.pid() != 0) {
      synchronized (lock(serverId)) {
        ServerRecord now = servers.get(serverId);
        if (now != null && now.pid() == r.pid() && !nspawnAlive(now)) {
          cleanNspawnLeftovers(machine(now));
          save(now.withPid(0));
        }
      }
    }
    return alive;
  }

  @Override
  public void reboot(long serverId) {
    requireStarted();
    synchronized (lock(serverId)) {
      requestShutdown(serverId);
      long end = System.nanoTime() + shutdownGrace().toNanos();
      while (isRunning(serverId) && System.nanoTime() < end) {
        Procs.sleep(50);
      }
      kill(record(serverId));
      powerOn(serverId);
    }
  }

  @Override
  public void reset(long serverId) {
    requireStarted();
    synchronized (lock(serverId)) {
      kill(record(serverId));
      powerOn(serverId);
    }
  }

  @Override
  public Duration shutdownGrace() {
    return Duration.ofSeconds(60);
  }

  @Override
  public long captureImage(long serverId, long imageId) {
    requireStarted();
    synchronized (lock(serverId)) {
      ServerRecord r = record(serverId);
      Path layer = cfg.stateDir().resolve("layers").resolve("snap-" + imageId);
      try {
        if (Files.exists(layer)) {
          RootFs.deleteRecursively(layer);
        }
        List<String> chain = new ArrayList<>();
        chain.add(layer.toString());
        chain.addAll(r.lowers());
        if (nspawnAlive(r)) {
          // Running: copy the writable layer (the server keeps its own).
          Cmd.run(cfg.commandTimeout(), "sync", "-f", dir(r).resolve("merged").toString());
          Path tmp = layer.resolveSibling(layer.getFileName() + ".tmp");
          if (Files.exists(tmp)) {
            RootFs.deleteRecursively(tmp);
          }
          Cmd.run(
                  cfg.commandTimeout(),
                  "cp",
                  "-a",
                  dir(r).resolve("upper").toString(),
                  tmp.toString())
              .check();
          Files.move(tmp, layer);
        } else {
          // Off: O(1): the writable layer becomes the image; the server gets a fresh one on top.
          unmount(r);
          Files.move(dir(r).resolve("upper"), layer);
          RootFs.deleteRecursively(dir(r).resolve("work"));
          Files.createDirectories(dir(r).resolve("upper"));
          Files.createDirectories(dir(r).resolve("work"));
          r = r.withLowers(chain);
          save(r);
          ensureMounted(r);
        }
        long size = du(chain);
        ServerRecord.Image img = new ServerRecord.Image(imageId, List.copyOf(chain), size);
        json.writeValue(cfg.stateDir().resolve("images").resolve(imageId + ".json").toFile(), img);
        images.put(imageId, img);
        return size;
      } catch (IOException e) {
        throw new BackendException("cannot capture server " + serverId + " as image " + imageId, e);
      }
    }
  }

  @Override
  public void rebuild(long serverId, long imageId) {
    requireStarted();
    synchronized (lock(serverId)) {
      ServerRecord r = record(serverId);
      kill(r);
      unmount(r);
      try {
        RootFs.deleteRecursively(dir(r).resolve("upper"));
        RootFs.deleteRecursively(dir(r).resolve("work"));
        Files.createDirectories(dir(r).resolve("upper"));
        Files.createDirectories(dir(r).resolve("work"));
      } catch (IOException e) {
        throw new BackendException("cannot reset the disk of server " + serverId, e);
      }
      r = r.withLowers(lowersOf(imageId, r.systemImage()));
      save(r);
      ensureMounted(r);
      personalise(r);
      gcLayers();
    }
  }

  @Override
  public void delete(long serverId) {
    synchronized (lock(serverId)) {
      ServerRecord r = servers.get(serverId);
      if (r != null) {
        deleteInternal(r);
      }
      nspawns.remove(serverId);
      allocated.remove(serverId);
    }
    gcLayers();
  }

  private void deleteInternal(ServerRecord r) {
    kill(r);
    unmount(r);
    removeNetwork(r);
    if (Files.exists(dir(r))) {
      RootFs.deleteRecursively(dir(r));
    }
    servers.remove(r.id());
    allocated.remove(r.id());
  }

  @Override
  public void deleteImage(long imageId) {
    ServerRecord.Image img = images.remove(imageId);
    if (img != null) {
      try {
        Files.deleteIfExists(cfg.stateDir().resolve("images").resolve(imageId + ".json"));
      } catch (IOException e) {
        throw new BackendException("cannot forget image " + imageId, e);
      }
    }
    gcLayers();
  }

  @Override
  public OptionalLong systemImageSize(String systemImageName) {
    return BaseImage.NAME.equals(systemImageName) && systemLayer != null
        ? OptionalLong.of(systemLayerSize)
        : OptionalLong.empty();
  }

  /** Removes layers no server and no image uses any more. */
  private synchronized void gcLayers() {
    Set<String> used = new HashSet<>();
    servers.values().forEach(s -> used.addAll(s.lowers()));
    images.values().forEach(i -> used.addAll(i.lowers()));
    if (systemLayer != null) {
      used.add(systemLayer.toString());
    }
    try (var s = Files.list(cfg.stateDir().resolve("layers"))) {
      for (Path l : s.toList()) {
        if (!used.contains(l.toString())) {
          RootFs.deleteRecursively(l);
        }
      }
    } catch (IOException e) {
      throw new BackendException("cannot list layers", e);
    }
  }

  // ---------------------------------------------------------------- faults

  @Override
  public Set<ServerFaultKind> faultKinds() {
    return FAULT_KINDS;
  }

  @Override
  public ServerFaultRule addFault(ServerFaultRule rule) {
    ServerFaultRule f;
    synchronized (faults) {
      int n = 1;
      while (faults.containsKey("f" + n)) {
        n++;
      }
      f = rule.withId("f" + n);
      if (f.serverId() != null && !servers.containsKey(f.serverId())) {
        InvalidRuleException.Collector errors =
            new InvalidRuleException.Collector("server fault rule");
        errors.add("server_id", "no server " + f.serverId() + " in the hosts backend");
        errors.throwIfAny();
      }
      faults.put(f.id(), f);
      saveFaults();
    }
    if (f.serverId() != null) {
      synchronized (lock(f.serverId())) {
        ServerRecord r = servers.get(f.serverId());
        if (r != null) {
          applyFault(r, f);
        }
      }
    }
    return f;
  }

  @Override
  public List<ServerFaultRule> faults() {
    synchronized (faults) {
      return List.copyOf(faults.values());
    }
  }

  @Override
  public void clearFaults(String id) {
    List<ServerFaultRule> removed = new ArrayList<>();
    synchronized (faults) {
      if (id == null) {
        removed.addAll(faults.values());
        faults.clear();
      } else {
        ServerFaultRule f = faults.remove(id);
        if (f != null) {
          removed.add(f);
        }
      }
      saveFaults();
    }
    for (ServerRecord r0 : new ArrayList<>(servers.values())) {
      synchronized (lock(r0.id())) {
        ServerRecord r = servers.get(r0.id());
        if (r == null) {
          continue;
        }
        boolean touched = false;
        for (ServerFaultRule f : removed) {
          if (!(r.id() == (f.serverId() == null ? -1 : f.serverId())
              || r.faultIds().contains(f.id()))) {
            continue;
          }
          touched = true;
          if (NetworkFault.isNetwork(f)) {
            Cmd.run(
                cfg.commandTimeout(),
                "ip",
                "netns",
                "exec",
                machine(r),
                "nft",
                "delete",
                "table",
                "inet",
                NetworkFault.nftTable(f));
          }
          if (f.kind() == ServerFaultKind.SSHD_STOPPED
              && nspawnAlive(r)
              && activeFaults(r).stream()
                  .noneMatch(
                      x -> x.kind() == ServerFaultKind.SSHD_STOPPED && !removed.contains(x))) {
            inServer(r, "systemctl", "start", "ssh.service");
          }
        }
        if (touched) {
          List<String> ids = new ArrayList<>(r.faultIds());
          removed.forEach(f -> ids.remove(f.id()));
          save(r.withFaultIds(ids));
        }
      }
    }
  }

  private void applyFault(ServerRecord r, ServerFaultRule f) {
    if (NetworkFault.isNetwork(f)) {
      Cmd.run(
          cfg.commandTimeout(),
          "ip",
          "netns",
          "exec",
          machine(r),
          "nft",
          "delete",
          "table",
          "inet",
          NetworkFault.nftTable(f));
      Cmd.run(
              cfg.commandTimeout(),
              NetworkFault.nftScript(f).getBytes(StandardCharsets.UTF_8),
              List.of("ip", "netns", "exec", machine(r), "nft", "-f", "-"))
          .check();
    } else if (f.kind() == ServerFaultKind.SSHD_STOPPED && nspawnAlive(r)) {
      inServer(r, "systemctl", "stop", "ssh.service").check();
    }
    // slow_boot takes effect at the next power-on.
  }

  private List<ServerFaultRule> activeFaults(ServerRecord r) {
    synchronized (faults) {
      List<ServerFaultRule> out = new ArrayList<>();
      for (ServerFaultRule f : faults.values()) {
        if ((f.serverId() != null && f.serverId() == r.id()) || r.faultIds().contains(f.id())) {
          out.add(f);
        }
      }
      return out;
    }
  }

  /** Reads the stored rules (written by {@link #saveFaults}; older files used camelCase keys). */
  private List<ServerFaultRule> readFaults(Path file) throws IOException {
    List<ServerFaultRule> out = new ArrayList<>();
    for (Map<String, Object> m :
        json.readValue(file.toFile(), new TypeReference<List<Map<String, Object>>>() {})) {
      Map<String, Object> spec = new LinkedHashMap<>();
      m.forEach(
          (k, v) ->
              spec.put(
                  switch (k) {
                    case "serverId" -> "server_id";
                    case "labelSelector" -> "label_selector";
                    default -> k;
                  },
                  v));
      if (!"slow_boot".equals(spec.getOrDefault("kind", spec.get("type")))) {
        spec.remove("seconds");
      }
      out.add(ServerFaultRule.parse(spec, FAULT_KINDS, name()));
    }
    return out;
  }

  private void saveFaults() {
    try {
      json.writeValue(
          cfg.stateDir().resolve("faults.json").toFile(),
          faults.values().stream().map(ServerFaultRule::toMap).toList());
    } catch (IOException e) {
      throw new BackendException("cannot save fault rules", e);
    }
  }

  // ---------------------------------------------------------------- plumbing

  private void requireStarted() {
    if (!started) {
      throw new BackendException("hosts backend is not started");
    }
  }

  private Object lock(long id) {
    return locks.computeIfAbsent(id, k -> new Object());
  }

  private ServerRecord record(long id) {
    ServerRecord r = servers.get(id);
    if (r == null) {
      throw new BackendException("hosts backend has no server " + id);
    }
    return r;
  }

  String machine(ServerRecord r) {
    return cfg.namePrefix() + r.id();
  }

  Path dir(ServerRecord r) {
    return cfg.stateDir().resolve("servers").resolve(String.valueOf(r.id()));
  }

  private void save(ServerRecord r) {
    try {
      Files.createDirectories(dir(r));
      Path tmp = dir(r).resolve("server.json.tmp");
      json.writeValue(tmp.toFile(), r);
      Files.move(tmp, dir(r).resolve("server.json"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      servers.put(r.id(), r);
    } catch (IOException e) {
      throw new BackendException("cannot save record of server " + r.id(), e);
    }
  }

  /**
   * Whether the server's nspawn runs. For an nspawn this JVM started, the answer comes from its
   * {@link Process} (waitpid), never from {@code /proc}: right after the start, {@code setsid} is
   * still exec'ing {@code systemd-nspawn}, and during an execve the kernel shows an empty {@code
   * /proc/<pid>/cmdline} until the new program's arguments are set up, which read as "gone" and
   * failed fast power-ons. An nspawn of an earlier run (reclaimed) is long past its exec, so {@code
   * /proc} is reliable for it.
   */
  private boolean nspawnAlive(ServerRecord r) {
    if (r.pid() <= 0) {
      return false;
    }
    Process own = nspawns.get(r.id());
    if (own != null && own.pid() == r.pid()) {
      return own.isAlive() && !Procs.isZombie(r.pid());
    }
    return Procs.aliveWith(r.pid(), "--machine=" + machine(r));
  }

  /** Cuts the power: kills the container's PID 1 (and with it its pid namespace), then nspawn. */
  private void kill(ServerRecord r) {
    if (nspawnAlive(r)) {
      killNspawn(r.pid());
    }
    if (Files.exists(Path.of("/run/netns/" + machine(r)))) {
      killNetnsProcesses(machine(r));
    }
    cleanNspawnLeftovers(machine(r));
    if (r.pid() != 0 && servers.containsKey(r.id())) {
      save(servers.get(r.id()).withPid(0));
    }
  }

  private void killNspawn(long pid) {
    long init = Procs.containerInit(pid);
    String ns = init > 0 ? Procs.pidNs(init).orElse(null) : null;
    // Killing the container's PID 1 makes the kernel kill its whole pid namespace; nspawn then
    // exits by itself. Without a PID 1 yet (still setting up), nspawn itself is killed; anything
    // it left is still in the server's netns and killed there by the caller.
    Procs.kill(init > 0 ? init : pid);
    if (!Procs.waitGone(pid, cfg.stopTimeout())) {
      Procs.kill(pid);
      Procs.waitGone(pid, cfg.stopTimeout());
    }
    if (ns != null) {
      for (long p : Procs.inPidNs(ns)) {
        Procs.kill(p);
      }
    }
  }

  private void killNetnsProcesses(String netns) {
    Cmd.Result res = Cmd.run(cfg.commandTimeout(), "ip", "netns", "pids", netns);
    if (res.ok()) {
      for (String p : res.out().split("\\s+")) {
        if (p.matches("\\d+")) {
          Procs.kill(Long.parseLong(p));
          Procs.waitGone(Long.parseLong(p), Duration.ofSeconds(5));
        }
      }
    }
  }

  /** nspawn cannot remove its per-machine dirs when /run is not a tmpfs; this does. */
  private void cleanNspawnLeftovers(String machine) {
    Path base = Path.of("/run/systemd/nspawn");
    if (!Files.isDirectory(base)) {
      return;
    }
    try (var s = Files.list(base)) {
      for (Path sub : s.toList()) {
        Path p = sub.resolve(machine);
        if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          RootFs.deleteRecursively(p);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.log(Level.FINE, "cannot clean nspawn leftovers of " + machine, e);
    }
  }

  /** Removes leftovers of every machine of this instance that is not running. */
  private void cleanNspawnLeftovers() {
    Path base = Path.of("/run/systemd/nspawn");
    if (!Files.isDirectory(base)) {
      return;
    }
    try (var s = Files.list(base)) {
      for (Path sub : s.toList()) {
        if (!Files.isDirectory(sub)) {
          continue;
        }
        try (var t = Files.list(sub)) {
          for (Path p : t.toList()) {
            var m = ownName.matcher(p.getFileName().toString());
            if (m.matches()) {
              ServerRecord r = servers.get(Long.parseLong(m.group(1)));
              if (r == null || !nspawnAlive(r)) {
                RootFs.deleteRecursively(p);
              }
            }
          }
        }
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.log(Level.FINE, "cannot clean nspawn leftovers", e);
    }
  }

  private void ensureMounted(ServerRecord r) {
    Path merged = dir(r).resolve("merged");
    if (isMounted(merged)) {
      return;
    }
    String opts =
        "lowerdir="
            + String.join(":", r.lowers())
            + ",upperdir="
            + dir(r).resolve("upper")
            + ",workdir="
            + dir(r).resolve("work");
    Cmd.run(
            cfg.commandTimeout(),
            "mount",
            "-t",
            "overlay",
            machine(r),
            "-o",
            opts,
            merged.toString())
        .check();
  }

  private void unmount(ServerRecord r) {
    Path merged = dir(r).resolve("merged");
    // submounts first (none are expected on the host side, but never leave one behind)
    List<String> mps = mountPoints();
    for (int i = mps.size() - 1; i >= 0; i--) {
      if (mps.get(i).startsWith(merged + "/")) {
        umountPath(mps.get(i));
      }
    }
    while (isMounted(merged)) {
      umountPath(merged.toString());
    }
  }

  private void umountPath(String mp) {
    Cmd.Result res = Cmd.run(cfg.commandTimeout(), "umount", mp);
    if (!res.ok()) {
      Procs.sleep(200);
      Cmd.run(cfg.commandTimeout(), "umount", mp).check();
    }
  }

  static List<String> mountPoints() {
    try {
      List<String> out = new ArrayList<>();
      for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
        String[] f = line.split(" ");
        out.add(f[4].replace("\\040", " "));
      }
      return out;
    } catch (IOException e) {
      throw new BackendException("cannot read /proc/self/mountinfo", e);
    }
  }

  private static boolean isMounted(Path p) {
    return mountPoints().contains(p.toString());
  }

  private List<String> ownLinks() {
    List<String> out = new ArrayList<>();
    try (var s = Files.list(Path.of("/sys/class/net"))) {
      for (Path p : s.toList()) {
        if (ownName.matcher(p.getFileName().toString()).matches()) {
          out.add(p.getFileName().toString());
        }
      }
    } catch (IOException e) {
      throw new BackendException("cannot list network links", e);
    }
    return out;
  }

  /** netns + veth into the bridge + addresses + routes, and network faults (idempotent). */
  private void ensureNetwork(ServerRecord r) {
    String ns = machine(r);
    boolean nsExists = Files.exists(Path.of("/run/netns/" + ns));
    boolean vethExists = Files.exists(Path.of("/sys/class/net/" + ns));
    if (nsExists && vethExists) {
      return;
    }
    if (nsExists) {
      Cmd.run(cfg.commandTimeout(), "ip", "netns", "del", ns);
    }
    if (vethExists) {
      Cmd.run(cfg.commandTimeout(), "ip", "link", "del", ns);
    }
    int i = r.index();
    Cmd.run(cfg.commandTimeout(), "ip", "netns", "add", ns).check();
    String host =
        String.join(
            "\n",
            "link add " + ns + " type veth peer name eth0 netns " + ns,
            "link set " + ns + " master " + cfg.bridge(),
            "link set " + ns + " up",
            "route replace "
                + cfg.serverIpv6Net(i)
                + "/64 via "
                + cfg.serverTransitIpv6(i)
                + " dev "
                + cfg.bridge(),
            "");
    Cmd.run(
            cfg.commandTimeout(),
            host.getBytes(StandardCharsets.UTF_8),
            List.of("ip", "-batch", "-"))
        .check();
    String inside =
        String.join(
            "\n",
            "link set lo up",
            "link set eth0 up",
            "addr add " + cfg.serverIpv4(i) + "/24 dev eth0",
            "addr add " + cfg.serverTransitIpv6(i) + "/64 dev eth0 nodad",
            "addr add " + cfg.serverIpv6(i) + "/64 dev eth0 nodad",
            "route add default via " + cfg.bridgeIpv4(),
            "route add ::/0 via " + cfg.bridgeIpv6(),
            "");
    Cmd.run(
            cfg.commandTimeout(),
            inside.getBytes(StandardCharsets.UTF_8),
            List.of("ip", "-n", ns, "-batch", "-"))
        .check();
    for (ServerFaultRule f : activeFaults(r)) {
      if (NetworkFault.isNetwork(f)) {
        applyFault(r, f);
      }
    }
  }

  private void removeNetwork(ServerRecord r) {
    String ns = machine(r);
    Cmd.run(
        cfg.commandTimeout(),
        "ip",
        "-6",
        "route",
        "del",
        cfg.serverIpv6Net(r.index()) + "/64",
        "via",
        cfg.serverTransitIpv6(r.index()));
    if (Files.exists(Path.of("/run/netns/" + ns))) {
      killNetnsProcesses(ns);
      Cmd.run(cfg.commandTimeout(), "ip", "netns", "del", ns).check();
    }
    if (Files.exists(Path.of("/sys/class/net/" + ns))) {
      Cmd.run(cfg.commandTimeout(), "ip", "link", "del", ns);
    }
  }

  private long du(List<String> paths) {
    List<String> cmd = new ArrayList<>(List.of("du", "-sbc"));
    cmd.addAll(paths);
    Cmd.Result res = Cmd.run(cfg.commandTimeout(), null, cmd).check();
    String[] lines = res.out().strip().split("\n");
    return Long.parseLong(lines[lines.length - 1].split("\\s+")[0]);
  }

  // ---------------------------------------------------------------- introspection for tests

  /** The names this instance may leave on the machine: namespaces, veths, mounts, processes. */
  public List<String> leftovers() {
    List<String> out = new ArrayList<>();
    try (var s = Files.list(Path.of("/run/netns"))) {
      s.map(p -> p.getFileName().toString())
          .filter(n -> ownName.matcher(n).matches())
          .forEach(n -> out.add("netns " + n));
    } catch (IOException e) {
      // none
    }
    ownLinks().forEach(l -> out.add("link " + l));
    if (Files.exists(Path.of("/sys/class/net/" + cfg.bridge()))) {
      out.add("bridge " + cfg.bridge());
    }
    for (String mp : mountPoints()) {
      if (mp.startsWith(cfg.stateDir().toString())) {
        out.add("mount " + mp);
      }
    }
    ProcessHandle.allProcesses()
        .forEach(
            h -> {
              List<String> cl = Procs.cmdline(h.pid());
              for (String a : cl) {
                if ((a.startsWith("--machine=") && ownName.matcher(a.substring(10)).matches())
                    || a.equals(cfg.stateDir().resolve("acng").toString())) {
                  out.add("process " + h.pid() + " " + String.join(" ", cl));
                  break;
                }
              }
            });
    Path base = Path.of("/run/systemd/nspawn");
    if (Files.isDirectory(base)) {
      try (var s = Files.walk(base, 2)) {
        s.filter(p -> ownName.matcher(p.getFileName().toString()).matches())
            .forEach(p -> out.add("nspawn-run " + p));
      } catch (IOException e) {
        // none
      }
    }
    return out;
  }

  /** The server's IPv6 address (::1 of its /64). */
  public String ipv6Address(long serverId) {
    return cfg.serverIpv6(record(serverId).index());
  }

  /** The server's IPv4 address. */
  public String ipv4Address(long serverId) {
    return cfg.serverIpv4(record(serverId).index());
  }

  /** PID of the container's init while running, else 0. */
  public long initPid(long serverId) {
    ServerRecord r = record(serverId);
    return nspawnAlive(r) ? Procs.containerInit(r.pid()) : 0;
  }

  /** The server's state directory (upper, work, merged, console log). */
  public Path serverDir(long serverId) {
    return dir(record(serverId));
  }
}
