package dev.faultline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's own mistakes and modes, where a golden playbook cannot stand in: files that
 * do not exist, are empty or binary, usage errors, help, version, colour, and the default report
 * directory. Each test runs {@link Main#run} in-process.
 */
class CommandLineTest {
  @TempDir
  Path tmp;

  record Outcome(int exit, String out, String err) {}

  static Outcome run(Map<String, String> env, boolean terminal, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
         PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = Main.run(args, new Invocation(o, e, env, terminal, false));
    }
    return new Outcome(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Outcome run(String... args) {
    return run(Map.of(), false, args);
  }

  @Test
  void missingFile() {
    Path missing = tmp.resolve("no-such-playbook.fl");
    Outcome o = run("run", missing.toString());
    assertEquals(2, o.exit());
    assertEquals("", o.out());
    assertEquals(missing + ": error: no such file '" + missing + "'\n"
        + "  = help: check the path; it is relative to the current directory\n"
        + "error: 1 problem in " + missing + "; nothing was run\n", o.err());
  }

  @Test
  void emptyFile() throws IOException {
    Path empty = Files.writeString(tmp.resolve("empty.fl"), "");
    Outcome o = run("run", empty.toString());
    assertEquals(2, o.exit());
    assertEquals(empty + ": error: the file is empty; there is nothing to run\n"
        + "  = help: a playbook starts with 'playbook \"name\" {' and holds scenarios\n"
        + "error: 1 problem in " + empty + "; nothing was run\n", o.err());
  }

  @Test
  void binaryFile() throws IOException {
    Path binary = Files.write(tmp.resolve("image.fl"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13});
    Outcome o = run("run", binary.toString());
    assertEquals(2, o.exit());
    assertEquals(binary + ":1:4: error: this looks like a binary file, not a playbook (NUL byte at offset 4)\n"
        + "  = help: playbooks are UTF-8 text files ending in .fl\n"
        + "error: 1 problem in " + binary + "; nothing was run\n", o.err());
  }

  @Test
  void directoryInsteadOfFile() {
    Outcome o = run("check", tmp.toString());
    assertEquals(2, o.exit());
    assertTrue(o.err().startsWith(tmp + ": error: '" + tmp + "' is a directory, not a playbook\n"), o.err());
  }

  @Test
  void versionFastPathAndThroughPicocli() {
    for (String[] args : new String[][] {{"--version"}, {"-V"}, {"run", "--version"}}) {
      Outcome o = run(args);
      assertEquals(0, o.exit());
      assertTrue(o.out().matches("faultline \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n"), o.out());
    }
  }

  @Test
  void helpOnEveryCommand() {
    for (String command : new String[] {"run", "check", "list"}) {
      Outcome o = run(command, "--help");
      assertEquals(0, o.exit(), command);
      assertTrue(o.out().startsWith("Usage: faultline " + command), o.out());
      assertTrue(o.out().contains("--errors"), o.out());
    }
    Outcome root = run("--help");
    assertEquals(0, root.exit());
    assertTrue(root.out().contains("Exit codes: 0 passed, 1 a scenario failed"), root.out());
  }

  @Test
  void usageErrors() {
    Outcome none = run();
    assertEquals(2, none.exit());
    assertTrue(none.err().startsWith("error: no command given\nUsage: faultline"), none.err());

    Outcome unknownCommand = run("rnu", "x.fl");
    assertEquals(2, unknownCommand.exit());
    assertEquals("error: unknown command 'rnu'\n  = help: did you mean 'run'?\nsee 'faultline --help' for the options\n",
        unknownCommand.err());

    Outcome unknownOption = run("run", "x.fl", "--tag", "smoke");
    assertEquals(2, unknownOption.exit());
    assertEquals("error: unknown option '--tag'\n  = help: did you mean '--tags'?\nsee 'faultline run --help' for the options\n",
        unknownOption.err());

    Outcome missingFile = run("run");
    assertEquals(2, missingFile.exit());
    assertEquals("error: missing required parameter: 'FILE'\nsee 'faultline run --help' for the options\n", missingFile.err());

    Outcome badParam = run("run", "x.fl", "-p", "retries");
    assertEquals(2, badParam.exit());
    assertEquals("error: -p needs NAME=VALUE, got 'retries'\n  = help: write e.g. -p retries=value\nsee 'faultline run --help' for the options\n",
        badParam.err());

    Outcome badErrors = run("check", "x.fl", "--errors=medium");
    assertEquals(2, badErrors.exit());
    assertTrue(badErrors.err().contains("'medium' is not a way to print errors; use --errors=short or --errors=long"), badErrors.err());
  }

  @Test
  void shortErrorsPrintHeadlinesOnly() throws IOException {
    Path bad = Files.writeString(tmp.resolve("bad.fl"), "playbook \"p\" {\n  scenario \"s\" {\n    step \"x\" { wait 5sec }\n  }\n}\n");
    Outcome o = run("check", "--errors=short", bad.toString());
    assertEquals(2, o.exit());
    assertEquals(bad + ":3:21: error: unknown unit 'sec' in '5sec'\nerror: 1 problem in " + bad + "; nothing was run\n", o.err());
  }

  @Test
  void internalErrorShowsTheStackTraceOnlyWithDebug() throws IOException {
    Path crash = Files.writeString(tmp.resolve("crash.fl"),
        "playbook \"crash\" {\n  scenario \"s\" {\n    step \"x\" { fake.crash() }\n  }\n}\n");
    Outcome plain = run("run", crash.toString(), "--report-dir", tmp.resolve("r1").toString());
    assertEquals(1, plain.exit());
    assertTrue(plain.out().contains("internal error in crash(): IllegalStateException: the fake host function crashed"), plain.out());
    assertTrue(plain.out().contains("= help: this is a bug in that function; rerun with --debug"), plain.out());
    assertFalse(plain.err().contains("\tat ") || plain.out().contains("\tat "), plain.err());

    Outcome debug = run("run", crash.toString(), "--debug", "--report-dir", tmp.resolve("r2").toString());
    assertEquals(1, debug.exit());
    assertTrue(debug.err().contains("\tat dev.faultline.cli.FakeLibrary.crash"), debug.err());
  }

  @Test
  void colourOnlyOnATerminalWithoutNoColor() throws IOException {
    Path ok = Files.writeString(tmp.resolve("ok.fl"), "playbook \"ok\" {\n  scenario \"s\" {\n    step \"x\" { log \"hi\" }\n  }\n}\n");
    String reports = tmp.resolve("reports").toString();
    assertTrue(run(Map.of(), true, "run", ok.toString(), "--report-dir", reports).out().contains("\u001b[32mPASS"));
    assertFalse(run(Map.of(), false, "run", ok.toString(), "--report-dir", reports).out().contains("\u001b["));
    assertFalse(run(Map.of("NO_COLOR", "1"), true, "run", ok.toString(), "--report-dir", reports).out().contains("\u001b["));
    assertFalse(run(Map.of(), true, "run", ok.toString(), "--no-color", "--report-dir", reports).out().contains("\u001b["));
  }

  @Test
  void reportPathsAreTheLastLines() throws IOException {
    Path ok = Files.writeString(tmp.resolve("ok.fl"), "playbook \"ok\" {\n  scenario \"s\" {\n    step \"x\" { log \"hi\" }\n  }\n}\n");
    Path dir = tmp.resolve("nested/reports");
    Outcome o = run("run", ok.toString(), "--report-dir", dir.toString());
    assertEquals(0, o.exit());
    assertTrue(o.out().endsWith("\nreport: " + dir.resolve("report.json") + "\nreport: " + dir.resolve("report.md") + "\n"), o.out());
    assertTrue(Files.size(dir.resolve("report.json")) > 0);
    assertTrue(Files.size(dir.resolve("report.md")) > 0);
  }

  @Test
  void defaultReportDirectoryIsNamedAfterTimeAndPlaybook() {
    Path dir = RunCommand.defaultReportDir("magds chaos/v2");
    assertTrue(dir.toString().matches("reports/\\d{8}-\\d{6}-magds-chaos-v2"), dir.toString());
  }

  @Test
  void dryRunPlansTheSelectedScenariosAndTouchesNothing() throws IOException {
    Path p = Files.writeString(tmp.resolve("dry.fl"),
        "playbook \"dry\" {\n  scenario \"a\" tags [smoke] {\n    step \"x\" { inject fake.write(\"f\"); wait 1h }\n  }\n"
            + "  scenario \"b\" {\n    step \"y\" { log \"ran\" }\n  }\n}\n");
    Path dir = tmp.resolve("dry-report");
    // The option may come before the file: only an attached value (--dry-run=probes) is read as its kind.
    Outcome o = run("run", "--dry-run", p.toString(), "--tags", "smoke", "--report-dir", dir.toString());
    assertEquals(0, o.exit(), o.err());
    assertFalse(o.out().contains("ran"), o.out());
    assertTrue(o.out().contains("    inject  write f\n            target  f\n"), o.out());
    assertTrue(o.out().contains("    wait    1h - not waited in a dry run\n  PLAN  step \"x\"\n"), o.out());
    assertTrue(Files.readString(dir.resolve("report.json")).contains("\"dry_run\": \"plan\""));
  }

  @Test
  void badDryRunKindOrPermissionIsAUsageError() throws IOException {
    Path p = Files.writeString(tmp.resolve("ok.fl"), "playbook \"ok\" { scenario \"a\" { step \"x\" { } } }\n");
    Outcome o = run("run", p.toString(), "--dry-run=everything");
    assertEquals(2, o.exit());
    assertTrue(o.err().contains("'everything' is not a kind of dry run; write --dry-run, or --dry-run=probes to run probes too"), o.err());
    o = run("run", p.toString(), "--allow", "fs,network");
    assertEquals(2, o.exit());
    assertTrue(o.err().contains("unknown permission 'network'; permissions are exec, fs, docker, db, net and all"), o.err());
  }

  @Test
  void allowIsRepeatableAndCommaSeparated() throws IOException {
    Path p = Files.writeString(tmp.resolve("perm.fl"),
        "playbook \"perm\" {\n  scenario \"a\" {\n    step \"x\" {\n      inject fake.write(\"f\")\n"
            + "      log fake.exec(\"true\")\n    }\n  }\n}\n");
    Outcome refused = run("run", p.toString(), "--report-dir", tmp.resolve("r1").toString());
    assertEquals(2, refused.exit());
    assertTrue(refused.err().contains("error: 2 problems in"), refused.err());
    assertEquals(0, run("run", p.toString(), "--allow", "fs", "--allow", "exec", "--report-dir", tmp.resolve("r2").toString()).exit());
    assertEquals(0, run("run", p.toString(), "--allow", "db,fs,exec", "--report-dir", tmp.resolve("r3").toString()).exit());
    assertEquals(0, run("run", p.toString(), "--allow", "all", "--report-dir", tmp.resolve("r4").toString()).exit());
    assertFalse(Files.exists(tmp.resolve("r1")), "a refused run writes no report");
  }
}
