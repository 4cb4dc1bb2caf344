package dev.goldsmith.verifier.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import com.hierynomus.sshj.userauth.keyprovider.OpenSSHKeyV1KeyFile;

import dev.goldsmith.support.ssh.SshKeyFile;
import dev.goldsmith.support.ssh.SshKeyPair;
import dev.goldsmith.support.ssh.SshPublicKey;

import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;

/**
 * sshj implementation: one {@link SSHClient} per test server, authenticated as root with the
 * verifier's own key, the host key pinned by {@link PinnedHostKeyVerifier} (never a promiscuous
 * verifier). Each command gets its own session, a deadline, and bounded output capture.
 */
public final class SshjConnector implements SshConnector {

  private static final int MAX_OUTPUT = 256 * 1024;
  private static final DefaultConfig CONFIG = new DefaultConfig();
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final SshPublicKey clientKey;
  private final Supplier<String> clientPrivateKeyPem;
  private final ExecutorService readers =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "verifier-ssh-reader-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
          });

  /** Connects with the key pair on disk (the private key is read for each connection). */
  public SshjConnector(SshKeyFile clientKey) {
    this(clientKey.publicKey(), clientKey::readPrivateKeyPem);
  }

  /** Connects with an in-memory key pair. */
  public SshjConnector(SshKeyPair clientKey) {
    this(clientKey.publicKey(), clientKey::privateKeyPem);
  }

  private SshjConnector(SshPublicKey clientKey, Supplier<String> clientPrivateKeyPem) {
    this.clientKey = clientKey;
    this.clientPrivateKeyPem = clientPrivateKeyPem;
  }

  @Override
  public RemoteShell connect(
      String host, int port, String family, SshPublicKey pinnedHostKey, Duration timeout)
      throws SshConnectException {
    PinnedHostKeyVerifier verifier = new PinnedHostKeyVerifier(pinnedHostKey);
    SSHClient client = new SSHClient(CONFIG);
    client.addHostKeyVerifier(verifier);
    client.setConnectTimeout((int) timeout.toMillis());
    client.setTimeout((int) timeout.toMillis());
    String endpoint = family + " " + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    try {
      client.connect(host, port);
    } catch (TransportException e) {
      close(client);
      if (verifier.lastRejected() != null) {
        throw new SshConnectException(
            SshConnectException.Reason.HOST_KEY_MISMATCH,
            "host key refused on " + endpoint + ": presented " + verifier.lastRejected(),
            null);
      }
      throw new SshConnectException(
          SshConnectException.Reason.TRANSPORT,
          "SSH transport to " + endpoint + " failed: " + e.getMessage(),
          e);
    } catch (IOException e) {
      close(client);
      throw new SshConnectException(
          SshConnectException.Reason.TRANSPORT,
          "cannot connect to " + endpoint + ": " + e.getMessage(),
          e);
    }
    try {
      OpenSSHKeyV1KeyFile key = new OpenSSHKeyV1KeyFile();
      key.init(
          new StringReader(clientPrivateKeyPem.get()), new StringReader(clientKey.line()), null);
      client.authPublickey("root", key);
    } catch (UserAuthException e) {
      close(client);
      throw new SshConnectException(
          SshConnectException.Reason.AUTH_REFUSED,
          "root login with the verifier key refused on " + endpoint,
          null);
    } catch (IOException e) {
      close(client);
      throw new SshConnectException(
          SshConnectException.Reason.TRANSPORT,
          "SSH authentication on " + endpoint + " failed: " + e.getMessage(),
          e);
    }
    return new SshjShell(client, endpoint);
  }

  private static void close(SSHClient client) {
    try {
      client.close();
    } catch (IOException | RuntimeException e) {
      // best effort: the connection is being abandoned anyway
    }
  }

  private final class SshjShell implements RemoteShell {
    private final SSHClient client;
    private final String endpoint;

    SshjShell(SSHClient client, String endpoint) {
      this.client = client;
      this.endpoint = endpoint;
    }

    @Override
    public ExecResult exec(String command, Duration timeout) throws IOException {
      long start = System.nanoTime();
      long deadline = start + timeout.toNanos();
      try (Session session = client.startSession()) {
        Session.Command cmd = session.exec(command);
        Future<String> out = readers.submit(() -> read(cmd.getInputStream()));
        Future<String> err = readers.submit(() -> read(cmd.getErrorStream()));
        String stdout;
        String stderr;
        try {
          stdout = out.get(remaining(deadline), TimeUnit.NANOSECONDS);
          stderr = err.get(remaining(deadline), TimeUnit.NANOSECONDS);
          cmd.join(Math.max(1, remaining(deadline)), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          out.cancel(true);
          err.cancel(true);
          cmd.close();
          return new ExecResult(null, "", "", elapsedMs(start), true);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while running a command", e);
        } catch (ExecutionException e) {
          throw new IOException("reading command output failed: " + e.getCause(), e.getCause());
        }
        Integer exit = cmd.getExitStatus();
        return new ExecResult(exit, stdout, stderr, elapsedMs(start), false);
      } catch (net.schmizz.sshj.connection.ConnectionException e) {
        if (e.getCause() instanceof TimeoutException) {
          return new ExecResult(null, "", "", elapsedMs(start), true);
        }
        throw e;
      }
    }

    @Override
    public String endpoint() {
      return endpoint;
    }

    @Override
    public void close() {
      SshjConnector.close(client);
    }
  }

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  private static long elapsedMs(long start) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  private static String read(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    int n;
    while ((n = in.read(chunk)) >= 0) {
      if (buf.size() < MAX_OUTPUT) {
        buf.write(chunk, 0, Math.min(n, MAX_OUTPUT - buf.size()));
      }
    }
    return buf.toString(StandardCharsets.UTF_8);
  }
}
