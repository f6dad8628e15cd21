package dev.faultline.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The entry point of the {@code faultline} command. {@link #run(String[], PrintStream, PrintStream, Map)}
 * runs one command in-process and returns its exit code; only {@link #main} exits the JVM.
 *
 * <p>{@code faultline --version} is answered here, before picocli or the interpreter is loaded.
 * Rationale: it is what scripts call to probe for the tool, and it should cost little more than
 * starting the JVM. This class must therefore not refer to picocli types.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (isVersionOnly(args)) {
      System.out.println(Version.line());
      System.exit(0);
    }
    PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 14),
        false, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    int code = run(args, new Invocation(out, err, System.getenv(), System.console() != null, true));
    out.flush();
    err.flush();
    System.exit(code);
  }

  /**
   * Runs {@code faultline args…} and returns the exit code (see {@link dev.faultline.run.ExitCode}).
   * Never exits the JVM and never throws; output goes to {@code out} and {@code err}, and
   * {@code env} stands for the environment variables (only {@code NO_COLOR} and {@code TERM} are read).
   */
  public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    return run(args, new Invocation(out, err, env, false, false));
  }

  static int run(String[] args, Invocation io) {
    if (isVersionOnly(args)) {
      io.out().println(Version.line());
      io.out().flush();
      return 0;
    }
    return RootCommand.execute(args, io);
  }

  private static boolean isVersionOnly(String[] args) {
    return args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"));
  }
}
