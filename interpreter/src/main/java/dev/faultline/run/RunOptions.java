package dev.faultline.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What to run and how: scenario and tag selection, the profile, parameters (strings as on the
 * command line, or typed values from Java), and where the report goes. Immutable; use {@link #builder()}.
 */
public record RunOptions(
    List<String> scenarios, List<String> tags, Optional<String> env, Map<String, Object> params,
    DryRun dryRunMode, Optional<Path> reportDir, java.util.Set<dev.faultline.fault.Capability> allowed,
    Optional<Path> journalDir, Optional<dev.faultline.fault.RollbackStrategy> rollbackStrategy,
    Optional<java.time.Duration> revertTimeout, boolean watchdog) {

  /** How long one revert attempt may take unless {@link Builder#revertTimeout} says otherwise. */
  public static final java.time.Duration DEFAULT_REVERT_TIMEOUT = java.time.Duration.ofSeconds(10);

  public RunOptions {
    scenarios = List.copyOf(scenarios);
    tags = List.copyOf(tags);
    params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
    allowed = allowed.isEmpty() ? java.util.Set.of() : java.util.Collections.unmodifiableSet(java.util.EnumSet.copyOf(allowed));
  }

  /** Whether this is a dry run of either kind. */
  public boolean dryRun() {
    return dryRunMode != DryRun.OFF;
  }

  public static RunOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects options; every setter returns the builder. */
  public static final class Builder {
    private final java.util.List<String> scenarios = new java.util.ArrayList<>();
    private final java.util.List<String> tags = new java.util.ArrayList<>();
    private String env;
    private final Map<String, Object> params = new java.util.LinkedHashMap<>();
    private DryRun dryRun = DryRun.OFF;
    private Path reportDir;
    private final java.util.Set<dev.faultline.fault.Capability> allowed =
        java.util.EnumSet.noneOf(dev.faultline.fault.Capability.class);
    private Path journalDir;
    private dev.faultline.fault.RollbackStrategy rollbackStrategy;
    private java.time.Duration revertTimeout;
    private boolean watchdog;

    public Builder scenario(String... ids) {
      scenarios.addAll(List.of(ids));
      return this;
    }

    public Builder tag(String... t) {
      tags.addAll(List.of(t));
      return this;
    }

    public Builder env(String name) {
      this.env = name;
      return this;
    }

    /** A parameter: a {@code String} is read as on the command line, anything else is taken as is. */
    public Builder param(String name, Object value) {
      params.put(name, value);
      return this;
    }

    public Builder dryRun(boolean value) {
      this.dryRun = value ? DryRun.PLAN : DryRun.OFF;
      return this;
    }

    public Builder dryRun(DryRun mode) {
      this.dryRun = mode;
      return this;
    }

    /** Grants capabilities (side effects the playbook may have), as {@code --allow} does. */
    public Builder allow(dev.faultline.fault.Capability... capabilities) {
      allowed.addAll(List.of(capabilities));
      return this;
    }

    public Builder allow(java.util.Collection<dev.faultline.fault.Capability> capabilities) {
      allowed.addAll(capabilities);
      return this;
    }

    /** Where the fault journal lives (default {@code .faultline/journal} in the working directory). */
    public Builder journalDir(Path dir) {
      this.journalDir = dir;
      return this;
    }

    /**
     * Starts a watchdog process with the first injected fault, which reverts the run's faults from
     * the journal if this JVM dies first (off by default; {@code faultline run} turns it on). It runs
     * {@code java -cp <java.class.path>}, so the interpreter must be on the JVM's class path.
     */
    public Builder watchdog(boolean value) {
      this.watchdog = value;
      return this;
    }

    /** Overrides the playbook's {@code rollback_strategy}. */
    public Builder rollbackStrategy(dev.faultline.fault.RollbackStrategy strategy) {
      this.rollbackStrategy = strategy;
      return this;
    }

    /**
     * The longest one revert attempt may take before it is reported as failed and the reverts after
     * it proceed (default {@link RunOptions#DEFAULT_REVERT_TIMEOUT}).
     */
    public Builder revertTimeout(java.time.Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("a revert timeout must be positive, got " + timeout);
      this.revertTimeout = timeout;
      return this;
    }

    public Builder reportDir(Path dir) {
      this.reportDir = dir;
      return this;
    }

    public RunOptions build() {
      return new RunOptions(scenarios, tags, Optional.ofNullable(env), params, dryRun, Optional.ofNullable(reportDir),
          allowed, Optional.ofNullable(journalDir), Optional.ofNullable(rollbackStrategy),
          Optional.ofNullable(revertTimeout), watchdog);
    }
  }
}
