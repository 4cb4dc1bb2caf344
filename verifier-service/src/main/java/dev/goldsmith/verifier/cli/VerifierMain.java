package dev.goldsmith.verifier.cli;

import java.util.Arrays;

import jakarta.inject.Inject;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The entry point: without arguments the service runs until stopped; {@code test-image …} runs the
 * operators' on-demand check and exits with its code (see {@code bin/test-image.sh}, which also
 * selects the {@code cli} profile so no Kafka channel starts).
 */
@QuarkusMain
public class VerifierMain implements QuarkusApplication {

  @Inject TestImageCommand testImage;

  public static void main(String... args) {
    Quarkus.run(VerifierMain.class, args);
  }

  @Override
  public int run(String... args) {
    if (args.length > 0 && args[0].equals("test-image")) {
      return testImage.run(Arrays.asList(args).subList(1, args.length), System.out, System.err);
    }
    if (args.length > 0) {
      System.err.println("unknown command " + args[0] + "; known: test-image");
      return 2;
    }
    Quarkus.waitForExit();
    return 0;
  }
}
