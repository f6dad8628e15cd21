package dev.faultline.guard;

import dev.faultline.fault.Fault;
import dev.faultline.fault.FaultRecoverer;
import dev.faultline.host.Arg;
import dev.faultline.host.CallContext;
import dev.faultline.host.HostFunction;
import dev.faultline.host.Injector;
import dev.faultline.value.Percent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only host functions for guards, limits and reverts: a health flag and an error rate the
 * test sets, in-memory faults that log what happens to them (and on which thread), and faults whose
 * revert throws, hangs or finds its target gone.
 */
public final class SafetyFaults {
  public final List<String> log = Collections.synchronizedList(new ArrayList<>());
  public volatile boolean healthy = true;
  public volatile double errorRate = 1;
  /** Released by the test to end a {@code sys.block} early; never released means it blocks its full time. */
  public final CountDownLatch unblock = new CountDownLatch(1);

  @HostFunction(name = "health.ok", doc = "Whether the test says the system is healthy.")
  public boolean ok() {
    return healthy;
  }

  @HostFunction(name = "health.error_rate", doc = "The error rate the test sets.")
  public Percent errorRate() {
    return new Percent(errorRate);
  }

  @HostFunction(name = "sys.block", doc = "Blocks for `ms` milliseconds and ignores interrupts, as a stuck host call would.")
  public boolean block(@Arg(name = "ms", doc = "how long") long ms) {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
    boolean interrupted = false;
    while (System.nanoTime() < end) {
      try {
        if (unblock.await(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS)) break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    log.add("block returned");
    if (interrupted) Thread.currentThread().interrupt();
    return true;
  }

  @Injector(name = "sys.fault", doc = "An in-memory fault that logs its inject and revert.")
  public Fault fault(@Arg(name = "name", doc = "its name") String name) {
    return new Logged(name, log, Behaviour.OK, new AtomicInteger());
  }

  @Injector(name = "sys.throwing", doc = "A fault whose revert throws the first `times` attempts.")
  public Fault throwing(@Arg(name = "name", doc = "its name") String name, @Arg(name = "times", doc = "failed attempts") long times) {
    return new Logged(name, log, Behaviour.THROWS, new AtomicInteger((int) times));
  }

  @Injector(name = "sys.hanging", doc = "A fault whose revert never returns and ignores interrupts.")
  public Fault hanging(@Arg(name = "name", doc = "its name") String name) {
    return new Logged(name, log, Behaviour.HANGS, new AtomicInteger());
  }

  @Injector(name = "sys.gone", doc = "A fault whose target is gone when it is reverted.")
  public Fault gone(@Arg(name = "name", doc = "its name") String name) {
    return new Logged(name, log, Behaviour.GONE, new AtomicInteger());
  }

  @Injector(name = "group.pick", doc = "Touches `n` of a group of `of` containers; checks the blast radius first.")
  public Fault pick(@Arg(name = "n", doc = "how many") long n, @Arg(name = "of", doc = "of how many") long of) {
    return new Fault() {
      public String describe() { return "stop " + n + " of " + of + " backend containers"; }
      public void inject(CallContext c) {
        c.blastRadius().check(n, of, "containers labelled tier=backend");
        log.add("inject pick " + n);
      }
      public void revert(CallContext c) { log.add("revert pick " + n); }
    };
  }

  enum Behaviour { OK, THROWS, HANGS, GONE }

  record Logged(String name, List<String> log, Behaviour behaviour, AtomicInteger failuresLeft) implements Fault {
    public String describe() { return name; }
    public String target() { return name; }
    public void inject(CallContext c) { log.add("inject " + name); }
    public void revert(CallContext c) throws Exception {
      log.add("revert " + name + " on " + Thread.currentThread().getName().replaceAll("-\\d+$", ""));
      switch (behaviour) {
        case THROWS -> {
          if (failuresLeft.getAndDecrement() > 0) throw new IllegalStateException("the target is busy");
        }
        case HANGS -> {
          while (true) {
            try {
              Thread.sleep(60_000);
            } catch (InterruptedException ignored) {
              // a hung revert that ignores interrupts too
            }
          }
        }
        case GONE -> throw new FaultRecoverer.TargetChanged("container " + name + " no longer exists");
        default -> { }
      }
    }
  }
}
