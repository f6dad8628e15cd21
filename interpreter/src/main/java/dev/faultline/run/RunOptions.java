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
    boolean dryRun, Optional<Path> reportDir) {

  public RunOptions {
    scenarios = List.copyOf(scenarios);
    tags = List.copyOf(tags);
    params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
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
    private boolean dryRun;
    private Path reportDir;

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
      this.dryRun = value;
      return this;
    }

    public Builder reportDir(Path dir) {
      this.reportDir = dir;
      return this;
    }

    public RunOptions build() {
      return new RunOptions(scenarios, tags, Optional.ofNullable(env), params, dryRun, Optional.ofNullable(reportDir));
    }
  }
}
