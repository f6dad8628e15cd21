package dev.faultline.fault;

import dev.faultline.host.HostError;
import dev.faultline.value.Percent;
import dev.faultline.value.Values;
import java.util.Optional;

/**
 * The run's limit on how much of a target group one fault may touch ({@code max_blast_radius 30%},
 * or the selected profile's {@code max_blast_radius}). An injector whose target is a selection from a
 * group (some containers of a service, some replicas, a share of the processes) calls
 * {@link #check} in its {@code inject}, before touching anything:
 *
 * <pre>{@code
 * context.blastRadius().check(selected.size(), all.size(), "containers labelled tier=backend");
 * }</pre>
 *
 * <p>Above the limit the fault is refused with a {@link Refused} error that gives both numbers; the
 * fault's step fails and nothing is injected. Immutable and thread-safe.
 *
 * <p>Rationale: the limit is checked by the injector because only it knows the group and the
 * selection; checking it inside {@code inject} (not when the fault is described) keeps dry runs,
 * which never call {@code inject}, free of it.
 */
public final class BlastRadius {
  /** No limit: every selection is allowed. */
  public static final BlastRadius UNLIMITED = new BlastRadius(Optional.empty(), "");

  private final Optional<Percent> limit;
  private final String source;

  private BlastRadius(Optional<Percent> limit, String source) {
    this.limit = limit;
    this.source = source;
  }

  /**
   * A limit of {@code limit} (0% to 100%); {@code source} says where it was set, for the error's
   * hint: {@code "max_blast_radius in profile 'prod'"}.
   *
   * @param limit the largest share of a group one fault may touch
   * @param source where the limit was set, in words
   * @return the limit
   * @throws IllegalArgumentException when the limit is outside 0% to 100%
   */
  public static BlastRadius of(Percent limit, String source) {
    if (limit.points() < 0 || limit.points() > 100) throw new IllegalArgumentException("a blast radius is between 0% and 100%: " + limit);
    return new BlastRadius(Optional.of(limit), source);
  }

  /** {@return the limit, or empty for none} */
  public Optional<Percent> limit() {
    return limit;
  }

  /** {@return where the limit comes from, in words}; empty when unlimited */
  public String source() {
    return source;
  }

  /**
   * {@return whether touching {@code selected} of {@code of} members stays within the limit}
   *
   * @param selected how many members the fault would touch
   * @param of how many members the group has
   * @throws IllegalArgumentException when {@code selected} is negative or above {@code of}
   */
  public boolean allows(long selected, long of) {
    requireSelection(selected, of);
    if (limit.isEmpty() || selected == 0) return true;
    // selected / of > limit / 100, without rounding: compare whole products.
    return selected * 100.0 <= limit.get().points() * of;
  }

  /**
   * Refuses a selection above the limit, before anything is injected.
   *
   * @param selected how many members of the group the fault would touch
   * @param of       how many members the group has
   * @param what     the group's members in words, plural: {@code "containers labelled tier=backend"}
   * @throws Refused when {@code selected / of} is above the limit
   */
  public void check(long selected, long of, String what) {
    if (allows(selected, of)) return;
    Percent share = new Percent(selected * 100.0 / of);
    throw new Refused("would affect " + selected + " of " + of + " " + what + " (" + Values.show(round(share)) + "), above the limit of "
        + Values.show(limit.get()),
        "the limit is " + source + "; select at most " + maxAllowed(of) + " of " + of + ", or raise the limit");
  }

  /**
   * {@return the largest selection of a group of {@code of} that the limit allows}
   *
   * @param of how many members the group has
   */
  public long maxAllowed(long of) {
    if (limit.isEmpty()) return of;
    return (long) Math.floor(limit.get().points() * of / 100.0 + 1e-9);
  }

  private static void requireSelection(long selected, long of) {
    if (selected < 0 || of < 0 || selected > of) {
      throw new IllegalArgumentException("a selection of " + selected + " from a group of " + of + " is not possible");
    }
  }

  /** Percentages print with at most one decimal: 33.3%, 30%. */
  private static Percent round(Percent p) {
    return new Percent(Math.round(p.points() * 10) / 10.0);
  }

  @Override
  public String toString() {
    return limit.map(l -> "max_blast_radius " + Values.show(l) + (source.isEmpty() ? "" : " (" + source + ")")).orElse("no blast radius limit");
  }

  /** A fault refused by the blast radius limit: nothing was injected. */
  public static final class Refused extends HostError {
    private static final long serialVersionUID = 1L;

    /**
     * A refusal.
     *
     * @param message both numbers and the limit
     * @param help how to stay within it
     */
    public Refused(String message, String help) {
      super(message, help);
    }
  }
}
