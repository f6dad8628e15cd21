package dev.faultline.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What to run and how: scenario and tag selection, the profile, parameters (strings as on the
 * command line, or typed values from Java), and where the report goes. Immutable; use {@link #builder()}.
 *
 * @param scenarios the scenario ids to run; all when empty
 * @param tags run only scenarios with one of these tags; all when empty
 * @param env the profile to run with; the playbook's default profile when empty
 * @param params values of declared params by name: a {@code String} is read as on the command line
 * @param dryRunMode whether, and how, this is a dry run
 * @param reportDir where the report goes, for callers that write one
 * @param allowed the capabilities granted, as {@code --allow} does
 * @param journalDir the fault journal directory; {@link dev.faultline.fault.FaultJournal#defaultDir()} when empty
 * @param rollbackStrategy overrides the playbook's {@code rollback_strategy} when present
 * @param revertTimeout the longest one revert attempt may take; {@link #DEFAULT_REVERT_TIMEOUT} when empty
 * @param watchdog whether a watchdog process covers the run's faults if the JVM dies
 */
public record RunOptions(
    List<String> scenarios, List<String> tags, Optional<String> env, Map<String, Object> params,
    DryRun dryRunMode, Optional<Path> reportDir, java.util.Set<dev.faultline.fault.Capability> allowed,
    Optional<Path> journalDir, Optional<dev.faultline.fault.RollbackStrategy> rollbackStrategy,
    Optional<java.time.Duration> revertTimeout, boolean watchdog) {

  /** How long one revert attempt may take unless {@link Builder#revertTimeout} says otherwise. */
  public static final java.time.Duration DEFAULT_REVERT_TIMEOUT = java.time.Duration.ofSeconds(10);

  /**
   * Copies the collections.
   *
   * @param scenarios the scenario ids to run; all when empty
   * @param tags run only scenarios with one of these tags; all when empty
   * @param env the profile to run with; the playbook's default profile when empty
   * @param params values of declared params by name: a {@code String} is read as on the command line
   * @param dryRunMode whether, and how, this is a dry run
   * @param reportDir where the report goes, for callers that write one
   * @param allowed the capabilities granted, as {@code --allow} does
   * @param journalDir the fault journal directory; {@link dev.faultline.fault.FaultJournal#defaultDir()} when empty
   * @param rollbackStrategy overrides the playbook's {@code rollback_strategy} when present
   * @param revertTimeout the longest one revert attempt may take; {@link #DEFAULT_REVERT_TIMEOUT} when empty
   * @param watchdog whether a watchdog process covers the run's faults if the JVM dies
   */
  public RunOptions {
    scenarios = List.copyOf(scenarios);
    tags = List.copyOf(tags);
    params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
    allowed = allowed.isEmpty() ? java.util.Set.of() : java.util.Collections.unmodifiableSet(java.util.EnumSet.copyOf(allowed));
  }

  /** {@return whether this is a dry run of either kind} */
  public boolean dryRun() {
    return dryRunMode != DryRun.OFF;
  }

  /** {@return every scenario, the default profile, no param, no permission, no watchdog} */
  public static RunOptions defaults() {
    return builder().build();
  }

  /** {@return a builder of the defaults} */
  public static Builder builder() {
    return new Builder();
  }

  /** Collects options; every setter returns the builder. Not thread-safe. */
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

    /**
     * Selects scenarios by id, as {@code --scenario} does; may be called again to add more.
     *
     * @param ids scenario ids as written after {@code scenario}
     * @return this builder
     */
    public Builder scenario(String... ids) {
      scenarios.addAll(List.of(ids));
      return this;
    }

    /**
     * Selects scenarios by tag, as {@code --tags} does; with {@link #scenario}, a scenario must match both.
     *
     * @param t tags
     * @return this builder
     */
    public Builder tag(String... t) {
      tags.addAll(List.of(t));
      return this;
    }

    /**
     * Chooses the profile, as {@code --env} does.
     *
     * @param name a profile the playbook declares
     * @return this builder
     */
    public Builder env(String name) {
      this.env = name;
      return this;
    }

    /**
     * Sets a declared param: a {@code String} is read as on the command line ({@code "250ms"}),
     * anything else is taken as is (a {@link java.time.Duration}, a Long, a host value).
     *
     * @param name the param's name
     * @param value its value; checked against the param's type when the run is planned
     * @return this builder
     */
    public Builder param(String name, Object value) {
      params.put(name, value);
      return this;
    }

    /**
     * Makes this a dry run that plans only ({@link DryRun#PLAN}), or a real run.
     *
     * @param value whether to plan only
     * @return this builder
     */
    public Builder dryRun(boolean value) {
      this.dryRun = value ? DryRun.PLAN : DryRun.OFF;
      return this;
    }

    /**
     * Chooses the kind of run.
     *
     * @param mode a real run, a plan, or a plan with probes
     * @return this builder
     */
    public Builder dryRun(DryRun mode) {
      this.dryRun = mode;
      return this;
    }

    /**
     * Grants capabilities (side effects the playbook may have), as {@code --allow} does.
     *
     * @param capabilities added to those already granted
     * @return this builder
     */
    public Builder allow(dev.faultline.fault.Capability... capabilities) {
      allowed.addAll(List.of(capabilities));
      return this;
    }

    /**
     * Grants capabilities, as {@code --allow} does.
     *
     * @param capabilities added to those already granted
     * @return this builder
     */
    public Builder allow(java.util.Collection<dev.faultline.fault.Capability> capabilities) {
      allowed.addAll(capabilities);
      return this;
    }

    /**
     * Where the fault journal lives (default {@code .faultline/journal} in the working directory).
     *
     * @param dir the journal directory
     * @return this builder
     */
    public Builder journalDir(Path dir) {
      this.journalDir = dir;
      return this;
    }

    /**
     * Starts a watchdog process with the first injected fault, which reverts the run's faults from
     * the journal if this JVM dies first (off by default; {@code faultline run} turns it on). It runs
     * {@code java -cp <java.class.path>}, so the interpreter must be on the JVM's class path.
     *
     * @param value whether to start one
     * @return this builder
     */
    public Builder watchdog(boolean value) {
      this.watchdog = value;
      return this;
    }

    /**
     * Overrides the playbook's {@code rollback_strategy}, as {@code --rollback} does.
     *
     * @param strategy when rollback blocks run; faults are reverted whatever it says
     * @return this builder
     */
    public Builder rollbackStrategy(dev.faultline.fault.RollbackStrategy strategy) {
      this.rollbackStrategy = strategy;
      return this;
    }

    /**
     * The longest one revert attempt may take before it is reported as failed and the reverts after
     * it proceed (default {@link RunOptions#DEFAULT_REVERT_TIMEOUT}).
     *
     * @param timeout a positive duration
     * @return this builder
     * @throws IllegalArgumentException when it is zero or negative
     */
    public Builder revertTimeout(java.time.Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("a revert timeout must be positive, got " + timeout);
      this.revertTimeout = timeout;
      return this;
    }

    /**
     * Where the report goes, for callers that write one ({@code faultline run}, the JUnit extension).
     *
     * @param dir the report directory
     * @return this builder
     */
    public Builder reportDir(Path dir) {
      this.reportDir = dir;
      return this;
    }

    /** {@return the options} */
    public RunOptions build() {
      return new RunOptions(scenarios, tags, Optional.ofNullable(env), params, dryRun, Optional.ofNullable(reportDir),
          allowed, Optional.ofNullable(journalDir), Optional.ofNullable(rollbackStrategy),
          Optional.ofNullable(revertTimeout), watchdog);
    }
  }
}
