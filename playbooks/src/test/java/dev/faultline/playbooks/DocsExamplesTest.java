package dev.faultline.playbooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.faultline.embed.Faultline;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every ```faultline block in docs/stdlib/*.md is a complete playbook that ends with exit code 0, or
 * with the one its first line names ({@code # exit: 1}).
 */
class DocsExamplesTest {
  private static final Path DOCS = Path.of("../docs/stdlib");
  /** {@code # requires: docker}: the block runs only where the Docker tests run. */
  private static final Pattern REQUIRES_DOCKER = Pattern.compile("(?m)^\\s*#\\s*requires:\\s*docker\\s*$");
  private static final Pattern BLOCK = Pattern.compile("```faultline\\n(.*?)```", Pattern.DOTALL);

  @TestFactory
  List<DynamicTest> examplesRunAndPass() throws IOException {
    Faultline faultline = Faultline.builder().standardLibrary().build();
    List<DynamicTest> tests = new ArrayList<>();
    try (Stream<Path> files = Files.list(DOCS)) {
      for (Path md : files.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
        String text = Files.readString(md);
        Matcher m = BLOCK.matcher(text);
        int n = 0;
        while (m.find()) {
          String name = md.getFileName() + " example " + (++n);
          String code = m.group(1);
          tests.add(DynamicTest.dynamicTest(name, () -> {
            if (REQUIRES_DOCKER.matcher(code).find()) dev.faultline.stdlib.docker.TestContainers.assumeEngine();
            // Examples on a local PostgreSQL cluster need the server programs, which run-tests may skip.
            org.junit.jupiter.api.Assumptions.assumeFalse(code.contains("postgres.local") && Boolean.getBoolean("faultline.skip.postgres"),
                "PostgreSQL examples skipped (-Dfaultline.skip.postgres=true)");
            // Examples on local Redis servers need redis-server and redis-sentinel, which run-tests may skip.
            org.junit.jupiter.api.Assumptions.assumeFalse(code.contains("redis.local") && Boolean.getBoolean("faultline.skip.redis"),
                "Redis examples skipped (-Dfaultline.skip.redis=true)");
            RunResult r = faultline.run(name, code, options(code));
            String why = r.error().map(d -> d.message()).orElse("") + r.scenarios().stream()
                .map(s -> s.id() + " " + s.status().word() + " " + s.message()).collect(Collectors.joining("; "));
            assertEquals(expectedExit(code), r.exitCode(), why);
          }));
        }
      }
    }
    assertFalse(tests.isEmpty(), "no examples found in " + DOCS.toAbsolutePath());
    return tests;
  }

  /** 0, or the exit code the block's first line names ({@code # exit: 1}), as in docs/language.md. */
  static int expectedExit(String code) {
    Matcher m = Pattern.compile("^#\\s*exit:\\s*(\\d+)\\s*$").matcher(code.lines().findFirst().orElse("").strip());
    return m.matches() ? Integer.parseInt(m.group(1)) : 0;
  }

  /** A block grants what it needs as the command line would: a comment line {@code # allow: fs,exec}. */
  static RunOptions options(String code) {
    RunOptions.Builder options = RunOptions.builder();
    Matcher allow = java.util.regex.Pattern.compile("(?m)^\\s*# allow: *(\\S+)").matcher(code);
    if (allow.find()) options.allow(dev.faultline.fault.Capability.parse(allow.group(1)));
    return options.build();
  }
}
