package dev.faultline.fault;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The undo work of one scope (playbook, scenario, step): the faults injected in it, its
 * {@code rollback { }} blocks and the resources it started. {@link #unwind} runs them when the scope
 * ends, however it ends: faults reverted newest first, then rollback blocks newest first, then
 * resources closed newest first. Thread-safe.
 */
public final class RollbackStack {
  /** A rollback block or a resource close: undo work that is not a fault. */
  public interface Undo {
    /**
     * Does the undo work.
     *
     * @throws Exception when it failed; the rest of the unwinding goes on
     */
    void run() throws Exception;
  }

  /**
   * One undo step that failed, with what it was.
   *
   * @param what the fault, block or resource, in words
   * @param cause why it failed
   */
  public record Failure(String what, Throwable cause) {}

  private final String name;
  private final Deque<ActiveFault> faults = new ArrayDeque<>();
  private final List<Undo> rollbacks = new ArrayList<>();
  private final Deque<Undo> resources = new ArrayDeque<>();
  private final Deque<String> resourceNames = new ArrayDeque<>();

  /**
   * An empty stack.
   *
   * @param name the scope's name as reports show it
   */
  public RollbackStack(String name) {
    this.name = name;
  }

  /** {@return the scope's name as reports show it}: {@code step "inject latency"} */
  public String name() {
    return name;
  }

  synchronized void push(ActiveFault fault) {
    faults.push(fault);
  }

  /**
   * Adds a {@code rollback { }} block, run when the scope ends as the strategy says.
   *
   * @param block the block's work
   */
  public synchronized void addRollback(Undo block) {
    rollbacks.add(block);
  }

  /**
   * Ties a resource to the scope: it is closed when the scope ends, after faults and blocks.
   *
   * @param close how to close it
   * @param description what it is, for failures
   */
  public synchronized void own(Undo close, String description) {
    resources.push(close);
    resourceNames.push(description);
  }

  /** {@return the scope's faults not yet unwound, newest first} */
  public synchronized List<ActiveFault> faults() {
    return List.copyOf(faults);
  }

  /**
   * Ends the scope: reverts its faults (LIFO) through {@code lifecycle}, runs its rollback blocks,
   * closes its resources. Every part runs even when an earlier part fails; failures are returned.
   *
   * @param lifecycle reverts the faults
   * @param context the run's context for the reverts
   * @param runRollbacks whether the rollback blocks run
   * @return what failed, in the order it was tried
   */
  public List<Failure> unwind(FaultLifecycle lifecycle, dev.faultline.host.CallContext context, boolean runRollbacks) {
    return unwind(lifecycle, context, runRollbacks ? RollbackStrategy.ALWAYS : RollbackStrategy.NEVER, false);
  }

  /**
   * Like {@link #unwind(FaultLifecycle, dev.faultline.host.CallContext, boolean)}, with the rollback
   * blocks run as {@code strategy} says: {@code failed} tells whether the scope failed or was
   * aborted; a fault of the scope that cannot be reverted counts as a failure too. Faults are
   * reverted whatever the strategy.
   *
   * @param lifecycle reverts the faults
   * @param context the run's context for the reverts
   * @param strategy when the rollback blocks run
   * @param failed whether the scope failed or was aborted
   * @return what failed, in the order it was tried
   */
  public List<Failure> unwind(FaultLifecycle lifecycle, dev.faultline.host.CallContext context, RollbackStrategy strategy,
      boolean failed) {
    List<ActiveFault> toRevert;
    List<Undo> blocks;
    List<Undo> closes;
    List<String> closeNames;
    synchronized (this) {
      toRevert = new ArrayList<>(faults);
      faults.clear();
      blocks = new ArrayList<>();
      // Newest first, like the faults: a later block may depend on what an earlier one set up.
      for (int i = rollbacks.size() - 1; i >= 0; i--) blocks.add(rollbacks.get(i));
      rollbacks.clear();
      closes = new ArrayList<>(resources);
      closeNames = new ArrayList<>(resourceNames);
      resources.clear();
      resourceNames.clear();
    }
    List<Failure> failures = new ArrayList<>();
    for (ActiveFault f : toRevert) {
      if (!lifecycle.revert(f, context)) failures.add(new Failure("revert " + f.fault().describe(), null));
    }
    if (!strategy.runsRollbacks(failed || !failures.isEmpty())) blocks.clear();
    for (Undo block : blocks) {
      try {
        block.run();
      } catch (Exception e) {
        failures.add(new Failure("rollback block of " + name, e));
      }
    }
    for (int i = 0; i < closes.size(); i++) {
      try {
        closes.get(i).run();
      } catch (Exception e) {
        failures.add(new Failure("stop " + closeNames.get(i), e));
      }
    }
    return failures;
  }
}
