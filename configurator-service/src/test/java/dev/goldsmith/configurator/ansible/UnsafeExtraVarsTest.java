package dev.goldsmith.configurator.ansible;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The extra-vars file as the real ansible-playbook reads it through {@code -e @file}, on a
 * controller-only playbook: nothing in it is ever templated, and every value arrives unchanged.
 */
class UnsafeExtraVarsTest {
  @TempDir Path tmp;

  @Test
  void templatesInValuesNestedValuesAndKeysAreNeverEvaluated() throws Exception {
    Path marker = tmp.resolve("marker-" + UUID.randomUUID());
    String pipe = "{{ lookup('pipe', 'touch " + marker + "') }}";
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put(pipe, List.of(pipe, "{% if true %}" + pipe + "{% endif %}", "{# c #}" + pipe));
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("goldsmith_test_value", List.of(pipe, nested));
    vars.put("goldsmith_test_mapping", Map.of(pipe, pipe));

    Object seen = run(vars);

    assertThat(marker).as("a lookup ran on the controller").doesNotExist();
    assertThat(seen).isEqualTo(List.of(pipe, nested));
  }

  @Test
  void everyJsonTypeAndAwkwardCharacterArrivesUnchanged() throws Exception {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("int", 42);
    value.put("long", 9_000_000_000L);
    value.put("float", 0.25);
    value.put("big", 1.0e20);
    value.put("bool", true);
    value.put("null", null);
    value.put("quotes", "\"'\\ \\\" ");
    value.put("controls", "a\nb\tc\rd\u0000e\u007f\u0085");
    value.put("unicode", "Grüße, 東京, 😀, \u2028, \ufeff");
    value.put("yaml", "- not a list: {nor: a map} # nor a comment\n!tag &anchor *alias");
    value.put("", List.of());
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("goldsmith_test_value", value);
    vars.put("goldsmith_test_mapping", Map.of());

    Object seen = run(vars);

    assertThat(seen).isEqualTo(value);
  }

  @Test
  void theFileIsReadableByItsOwnerOnlyAndPlainAscii() throws Exception {
    Path file = tmp.resolve("extra-vars.yml");
    UnsafeExtraVars.write(file, Map.of("x", "é{{ y }}"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(file))
        .isEqualTo("---\n{!unsafe \"x\": !unsafe \"\\u00e9{{ y }}\"}\n");
    UnsafeExtraVars.write(file, Map.of("x", 1));
    assertThat(Files.readString(file)).isEqualTo("---\n{!unsafe \"x\": 1}\n");
  }

  /** Runs local-echo.yml with the vars as written by UnsafeExtraVars; returns what it echoed. */
  private Object run(Map<String, Object> vars) throws Exception {
    Path playbook = tmp.resolve("local-echo.yml");
    try (var in = getClass().getResourceAsStream("/local-ansible/local-echo.yml")) {
      Files.copy(in, playbook);
    }
    Path out = tmp.resolve("seen.json");
    Map<String, Object> all = new LinkedHashMap<>(vars);
    all.put("goldsmith_test_out", out.toString());
    Path file = tmp.resolve("extra-vars.yml");
    UnsafeExtraVars.write(file, all);
    ProcessBuilder pb =
        new ProcessBuilder(
                "ansible-playbook",
                "-i",
                "localhost,",
                "--extra-vars",
                "@" + file,
                playbook.toString())
            .redirectErrorStream(true);
    pb.environment().put("ANSIBLE_NOCOLOR", "1");
    pb.environment().put("ANSIBLE_LOCAL_TEMP", tmp.resolve("ansible-tmp").toString());
    Process p = pb.start();
    String log = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(log).isZero();
    return new ObjectMapper().readValue(Files.readString(out), Object.class);
  }
}
