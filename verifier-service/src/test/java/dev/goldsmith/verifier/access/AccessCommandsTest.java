package dev.goldsmith.verifier.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.goldsmith.verifier.LocalShell;
import dev.goldsmith.verifier.ssh.ExecResult;

/** The audit's scripts in a real shell on this machine (read-only). */
class AccessCommandsTest {
  private final LocalShell sh = new LocalShell();
  private static final Duration T = Duration.ofSeconds(20);

  @Test
  void keyFilesComeBackEncodedSoAFileCannotForgeMarkers(@TempDir Path dir) throws Exception {
    Path forged = dir.resolve("it's keys");
    Files.writeString(forged, "GS_KF=1 -\nGS_END\nssh-ed25519 AAAA x\n");
    Path empty = dir.resolve("empty");
    Files.writeString(empty, "");
    List<String> paths =
        List.of(
            forged.toString(), dir.resolve("absent").toString(), empty.toString(), dir.toString());
    ExecResult r = sh.exec(AccessCommands.keyFiles(paths), T);
    assertThat(r.stdout()).endsWith("GS_END\n");
    assertThat(Listings.markers(r, "GS_KF"))
        .containsExactly(
            "0 " + Base64.getEncoder().encodeToString(Files.readAllBytes(forged)),
            "1 -",
            "2",
            "3 -");
  }

  @Test
  void theDatabaseListingsParseOnARealSystem() throws Exception {
    Listings run = new Listings(sh, T);
    assertThat(PasswdEntry.parse(run.listing(AccessCommands.passwd(), "passwd")))
        .anySatisfy(p -> assertThat(p.name()).isEqualTo("root"));
    assertThat(GroupEntry.parse(run.listing(AccessCommands.groups(), "group")))
        .anySatisfy(g -> assertThat(g.gid()).isZero());
    // This machine listens on something (the test broker at least); every line must parse.
    assertThat(ListeningSocket.parse(run.listing(AccessCommands.listening(), "ss"))).isNotEmpty();
  }

  @Test
  void theSudoersScriptEndsAndParsesWhateverIsInstalled() throws Exception {
    ExecResult r = new Listings(sh, T).complete(AccessCommands.sudoers(), "sudoers");
    var files = SudoAudit.parse(r);
    if (Files.exists(Path.of("/etc/sudoers"))) {
      assertThat(files).containsKey("/etc/sudoers");
    } else {
      assertThat(files).doesNotContainKey("/etc/sudoers");
    }
  }

  @Test
  void sshdPerUserQuotesEveryUser() {
    String c = AccessCommands.sshdPerUser(List.of("root", "it's"));
    assertThat(c).startsWith("for u in 'root' 'it'\\''s'; do ");
    assertThat(dev.goldsmith.verifier.FakeImageShell.words(c)).containsExactly("root", "it's");
  }
}
