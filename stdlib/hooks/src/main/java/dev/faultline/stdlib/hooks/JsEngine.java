package dev.faultline.stdlib.hooks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;

/**
 * The one GraalJS {@link Engine} of the process, shared by every hook context, and the prelude
 * source every context runs first. Created on first use (about a second and 100–200 MB): a
 * playbook without hooks never gets here. Thread-safe.
 *
 * <p>Rationale for {@code engine.WarnInterpreterOnly=false}: on a stock JDK 17 GraalJS cannot use
 * the Graal compiler and runs in its interpreter; it says so on every start. Hooks are small glue
 * code where the interpreter is fast enough (a probe call costs microseconds, see
 * bench/results/hooks.md), so the warning would only alarm the person running a playbook.
 */
final class JsEngine {
  private JsEngine() {}

  private static volatile Engine engine;
  private static volatile Source prelude;

  static Engine shared() {
    Engine e = engine;
    if (e == null) {
      synchronized (JsEngine.class) {
        e = engine;
        if (e == null) {
          e = Engine.newBuilder("js")
              .sandbox(SandboxPolicy.CONSTRAINED)
              .option("engine.WarnInterpreterOnly", "false")
              .out(OutputStream.nullOutputStream())
              .err(OutputStream.nullOutputStream())
              .build();
          engine = e;
        }
      }
    }
    return e;
  }

  static Source prelude() {
    Source p = prelude;
    if (p == null) {
      try (InputStream in = JsEngine.class.getResourceAsStream("prelude.js")) {
        if (in == null) throw new IllegalStateException("prelude.js is missing from the class path");
        p = Source.newBuilder("js", new String(in.readAllBytes(), StandardCharsets.UTF_8), "faultline-prelude.js")
            .cached(true).buildLiteral();
        prelude = p;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return p;
  }
}
