package dev.faultline.journal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * The soak run of {@link Chaos} for bench/soak.sh: {@code ChaosSoak RUNS RESULTS_FILE [SEED]}.
 * Writes the figures as Markdown; exit 1 when any run left a residue.
 */
public final class ChaosSoak {
  private ChaosSoak() {}

  private static void row(StringBuilder md, String what, List<Double> values) {
    md.append(String.format(Locale.ROOT, "| %s | %d | %.1f ms | %.1f ms | %.1f ms |%n", what, values.size(),
        Chaos.Report.percentile(values, 50), Chaos.Report.percentile(values, 99), Chaos.Report.percentile(values, 100)));
  }

  public static void main(String[] args) throws Exception {
    int runs = Integer.parseInt(args[0]);
    Path results = Path.of(args[1]);
    long seed = args.length > 2 ? Long.parseLong(args[2]) : System.currentTimeMillis();
    Path work = Files.createTempDirectory("faultline-soak-");
    Chaos.Report r = new Chaos(work, seed, 2, System.out).run(runs);
    System.out.println(r.summary());
    String[] loadavg = Files.readString(Path.of("/proc/loadavg")).strip().split(" ");
    String load = String.join(" ", java.util.Arrays.copyOf(loadavg, Math.min(3, loadavg.length)));
    StringBuilder md = new StringBuilder();
    md.append("# Soak: chaos on the chaos tool\n\n");
    md.append("Measured by `bench/soak.sh` on ").append(LocalDate.now()).append(" (seed ").append(seed).append(").\n");
    md.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs, load average ")
        .append(load).append(" at the end; ").append(System.getProperty("java.vm.name")).append(' ')
        .append(System.getProperty("java.version")).append(".\n\n");
    md.append("Each run starts a real `faultline run` process (the test file fault, ").append(Chaos.FILES)
        .append(" files of random binary content, overlapping faults, timed reverts, a failing inject),\n")
        .append("kills it with SIGKILL at a moment drawn uniformly over its life, then leaves the recovery to its\n")
        .append("watchdog, or kills the watchdog too and runs `faultline recover`. An auditor that uses no Faultline\n")
        .append("code then compares every file's SHA-256 with the original and checks that the journal is empty.\n\n");
    md.append("| figure | value |\n|---|---|\n");
    md.append("| runs | ").append(r.runs()).append(" |\n");
    md.append("| killed with faults in place (journal not empty at the kill) | ").append(r.killedWithFaultsInPlace()).append(" |\n");
    md.append("| ended before the kill came | ").append(r.endedBeforeTheKill()).append(" |\n");
    md.append("| recovered by the watchdog alone | ").append(r.byWatchdog()).append(" |\n");
    md.append("| watchdog killed too, recovered by `faultline recover` | ").append(r.byRecover()).append(" |\n");
    md.append("| **residues** (files not byte-identical, records left) | **").append(r.residues()).append("** |\n");
    md.append("| wall time | ").append(r.took().toSeconds()).append(" s |\n");
    md.append("\nWatchdog revert time: from the SIGKILL of the interpreter to every file byte-identical again and the\n")
        .append("journal empty, polled every millisecond by the auditor. Runs killed with faults in place, watchdog mode.\n\n");
    md.append("| watchdog at the kill | samples | p50 | p99 | max |\n|---|---|---|---|---|\n");
    row(md, "started and waiting (the normal case)", r.readyMillis());
    row(md, "still starting its JVM (killed within ~0.5 s of the first fault)", r.startingMillis());
    List<Double> all = new java.util.ArrayList<>(r.readyMillis());
    all.addAll(r.startingMillis());
    row(md, "all", all);
    if (!r.residueDetails().isEmpty()) {
      md.append("\n## Residues\n\n```\n").append(String.join("\n\n", r.residueDetails())).append("\n```\n");
    }
    Files.createDirectories(results.toAbsolutePath().getParent());
    Files.writeString(results, md.toString());
    System.exit(r.residues() == 0 ? 0 : 1);
  }
}
