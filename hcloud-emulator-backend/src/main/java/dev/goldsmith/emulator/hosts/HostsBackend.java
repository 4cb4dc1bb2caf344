package dev.goldsmith.emulator.hosts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.goldsmith.emulator.backend.ServerBackend;
import dev.goldsmith.emulator.backend.ServerFaultKind;
import dev.goldsmith.emulator.backend.ServerFaultRule;

/**
 * The {@code hosts} backend: every server is a real Linux host. A server is a network namespace
 * (veth into this instance's bridge, its own IPv4 and its own routed IPv6 /64), an overlay
 * filesystem over immutable image layers, and a real systemd booted by {@code systemd-nspawn -b}
 * running detached. Snapshots are layers; apt goes through this instance's apt-cacher-ng.
 *
 * <p>This class is the facade: it holds the per-server locks and the order of the steps, and
 * delegates each job to one part: {@link HostPrerequisites}, {@link InstanceLock}, {@link
 * StateStore}, {@link HostNetwork}, {@link OverlayLayers}, {@link Personaliser}, {@link
 * NspawnMachine}, {@link Reconciler} and {@link HostFaults}.
 *
 * <p>Every name on the machine starts with {@link HostsConfig#namePrefix()} followed by the server
 * id, so crash recovery can find and remove exactly this instance's leftovers.
 */
public final class HostsBackend implements ServerBackend {

  private static final Logger LOG = Logger.getLogger(HostsBackend.class.getName());
  static final Set<ServerFaultKind> FAULT_KINDS = HostFaults.KINDS;

  private final HostsConfig cfg;
  private final StateStore store;
  private final HostNetwork network;
  private final OverlayLayers layers;
  private final NspawnMachine machines;
  private final HostFaults faults;
  private final Reconciler reconciler;
  private final AptCacher acng;
  private final Personaliser personaliser;
  private final Map<Long, Integer> allocated = new ConcurrentHashMap<>();
  private final Map<Long, Object> locks = new ConcurrentHashMap<>();
  private InstanceLock instanceLock;
  private volatile boolean started;

  public HostsBackend(HostsConfig cfg) {
    this.cfg = cfg;
    this.store = new StateStore(cfg);
    this.network = new HostNetwork(cfg);
    this.layers = new OverlayLayers(cfg, store);
    this.machines = new NspawnMachine(cfg, store, network);
    this.faults = new HostFaults(cfg, store, machines, this::lock);
    this.reconciler = new Reconciler(cfg, store, network, layers, machines);
    this.acng = new AptCacher(cfg);
    this.personaliser = new Personaliser(cfg, acng.proxyUrl());
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
    HostPrerequisites.check();
    instanceLock = InstanceLock.acquire(cfg);
    try {
      try {
        store.prepareDirs();
      } catch (IOException e) {
        throw new BackendException("cannot prepare state dir " + cfg.stateDir(), e);
      }
      HostPrerequisites.checkAddressRanges(cfg, store.json());
      AptSources sources = AptSources.read(cfg.aptSources());
      Path tar =
          BaseImage.ensure(
              cfg.imageCacheDir(), sources, cfg.rebuildBaseImage(), cfg.imageBuildTimeout());
      layers.prepareSystemLayer(tar);
      store.load();
      faults.load();
      network.ensureBridge();
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
              + store.servers().size()
              + " server(s) reclaimed");
    } catch (RuntimeException e) {
      releaseInstanceLock();
      throw e;
    }
  }

  /**
   * Crash recovery: removes what no record explains, then reclaims every server that has a record
   * (or, when {@code reclaim=false}, deletes every server and image of an earlier run).
   */
  private void reconcile() {
    if (!cfg.reclaim()) {
      store.servers().forEach(this::deleteInternal);
      // an image record of an earlier run is as unexplained as its servers: the caller starts
      // clean, so nothing will ever reference or delete it
      List.copyOf(store.images()).forEach(i -> store.deleteImage(i.imageId()));
    }
    reconciler.removeStrays();
    for (ServerRecord r0 : store.servers()) {
      synchronized (lock(r0.id())) {
        ServerRecord r = r0;
        allocated.put(r.id(), r.index());
        boolean running = machines.alive(r);
        if (!running && r.pid() != 0) {
          store.save(r.withPid(0));
          r = store.get(r.id());
        }
        ensureNetwork(r);
        if (!running) {
          layers.mount(r);
        }
        LOG.info("reclaimed server " + r.id() + (running ? " (running)" : " (off)"));
      }
    }
    machines.cleanLeftovers();
    layers.gc();
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
    for (ServerRecord r0 : store.servers()) {
      synchronized (lock(r0.id())) {
        ServerRecord r = store.get(r0.id());
        if (r == null) {
          continue;
        }
        try {
          machines.kill(r);
          layers.unmount(r);
          network.remove(r);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "server " + r.id() + " not fully stopped; remove it by hand", e);
        }
      }
    }
    acng.stop();
    network.removeBridge();
    machines.cleanLeftovers();
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
    if (instanceLock != null) {
      instanceLock.release();
      instanceLock = null;
    }
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
      ServerRecord old = store.get(spec.serverId());
      if (old != null) {
        deleteInternal(old);
      }
      allocateAddresses(spec.serverId());
      String systemImage = spec.systemImageName() == null ? BaseImage.NAME : spec.systemImageName();
      ServerRecord r =
          new ServerRecord(
              spec.serverId(),
              spec.name(),
              allocated.get(spec.serverId()),
              List.copyOf(layers.lowersOf(spec.imageId(), systemImage)),
              systemImage,
              spec.authorizedKeys() == null ? List.of() : List.copyOf(spec.authorizedKeys()),
              spec.userData(),
              spec.labels() == null ? Map.of() : Map.copyOf(spec.labels()),
              faults.boundTo(spec.labels()),
              0);
      try {
        layers.createDisk(r);
        store.save(r);
        layers.mount(r);
        personaliser.personalise(r, cfg.serverDir(r.id()).resolve("merged"));
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

  /** The server's netns and veth, with its network faults when they had to be made anew. */
  private void ensureNetwork(ServerRecord r) {
    if (network.ensure(r)) {
      faults.applyNetwork(r);
    }
  }

  @Override
  public void powerOn(long serverId) {
    requireStarted();
    synchronized (lock(serverId)) {
      ServerRecord r = store.require(serverId);
      if (machines.alive(r)) {
        return;
      }
      ensureNetwork(r);
      layers.mount(r);
      machines.cleanLeftovers(cfg.machine(r.id()));
      int slowBoot = faults.slowBootSeconds(r);
      ServerRecord booting = machines.start(r, slowBoot);
      // A slow_boot server is running once its init runs; its sshd answers later on purpose.
      machines.awaitBoot(
          booting, slowBoot > 0, () -> machines.sshAccepts(booting, faults.activeKinds(booting)));
      if (slowBoot == 0) {
        faults.afterBoot(booting);
      }
    }
  }

  /** Runs a command inside a running server; for tests and tools. */
  public String exec(long serverId, String... args) {
    return machines.inServer(store.require(serverId), args).check().out();
  }

  @Override
  public void powerOff(long serverId) {
    requireStarted();
    synchronized (lock(serverId)) {
      machines.kill(store.require(serverId));
    }
  }

  @Override
  public void requestShutdown(long serverId) {
    requireStarted();
    machines.requestShutdown(store.require(serverId));
  }

  @Override
  public boolean isRunning(long serverId) {
    ServerRecord r = store.get(serverId);
    if (r == null) {
      return false;
    }
    boolean alive = machines.alive(r);
    if (!alive && r.pid() != 0) {
      synchronized (lock(serverId)) {
        ServerRecord now = store.get(serverId);
        if (now != null && now.pid() == r.pid() && !machines.alive(now)) {
          machines.cleanLeftovers(cfg.machine(now.id()));
          store.save(now.withPid(0));
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
      machines.kill(store.require(serverId));
      powerOn(serverId);
    }
  }

  @Override
  public void reset(long serverId) {
    requireStarted();
    synchronized (lock(serverId)) {
      machines.kill(store.require(serverId));
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
      ServerRecord r = store.require(serverId);
      try {
        return layers.capture(r, imageId, machines.alive(r)).size();
      } catch (IOException e) {
        throw new BackendException("cannot capture server " + serverId + " as image " + imageId, e);
      }
    }
  }

  @Override
  public void rebuild(long serverId, long imageId) {
    requireStarted();
    synchronized (lock(serverId)) {
      ServerRecord r = store.require(serverId);
      machines.kill(r);
      layers.unmount(r);
      layers.resetDisk(r);
      r = r.withLowers(layers.lowersOf(imageId, r.systemImage()));
      store.save(r);
      layers.mount(r);
      personaliser.personalise(r, cfg.serverDir(r.id()).resolve("merged"));
      layers.gc();
    }
  }

  @Override
  public void delete(long serverId) {
    synchronized (lock(serverId)) {
      ServerRecord r = store.get(serverId);
      if (r != null) {
        deleteInternal(r);
      }
      machines.forget(serverId);
      allocated.remove(serverId);
    }
    layers.gc();
  }

  private void deleteInternal(ServerRecord r) {
    machines.kill(r);
    layers.unmount(r);
    network.remove(r);
    Path dir = cfg.serverDir(r.id());
    if (Files.exists(dir)) {
      RootFs.deleteRecursively(dir);
    }
    store.forget(r.id());
    allocated.remove(r.id());
  }

  @Override
  public void deleteImage(long imageId) {
    store.deleteImage(imageId);
    layers.gc();
  }

  @Override
  public OptionalLong systemImageSize(String systemImageName) {
    long size = layers.systemLayerSize();
    return BaseImage.NAME.equals(systemImageName) && size >= 0
        ? OptionalLong.of(size)
        : OptionalLong.empty();
  }

  // ---------------------------------------------------------------- faults

  @Override
  public Set<ServerFaultKind> faultKinds() {
    return FAULT_KINDS;
  }

  @Override
  public ServerFaultRule addFault(ServerFaultRule rule) {
    return faults.add(rule);
  }

  @Override
  public List<ServerFaultRule> faults() {
    return faults.list();
  }

  @Override
  public void clearFaults(String id) {
    faults.clear(id);
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

  // ---------------------------------------------------------------- introspection for tests

  /** The names this instance may leave on the machine: namespaces, veths, mounts, processes. */
  public List<String> leftovers() {
    return reconciler.leftovers();
  }

  /** The server's IPv6 address (::1 of its /64). */
  public String ipv6Address(long serverId) {
    return cfg.serverIpv6(store.require(serverId).index());
  }

  /** The server's IPv4 address. */
  public String ipv4Address(long serverId) {
    return cfg.serverIpv4(store.require(serverId).index());
  }

  /** PID of the container's init while running, else 0. */
  public long initPid(long serverId) {
    ServerRecord r = store.require(serverId);
    return machines.alive(r) ? Procs.containerInit(r.pid()) : 0;
  }

  /** The server's state directory (upper, work, merged, console log). */
  public Path serverDir(long serverId) {
    return cfg.serverDir(store.require(serverId).id());
  }
}
