package dev.faultline.demoapp;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * A Resilience4j circuit breaker around one dependency, or none when switched off. Closed, it lets
 * calls through and counts their failures (the ones {@code failure} says count) over the last 10
 * calls; at 50 % of at least 5 it opens, and calls fail at once with {@link Unavailable} (no
 * connection is waited for); after {@code open} it lets 2 trial calls through (half-open) and closes
 * when they succeed. Every transition is recorded in the stats.
 */
final class Breaker {
  private final String name;
  private final CircuitBreaker breaker;
  private final Stats stats;

  private Breaker(String name, CircuitBreaker breaker, Stats stats) {
    this.name = name;
    this.breaker = breaker;
    this.stats = stats;
  }

  static Breaker of(String name, Duration open, Predicate<Throwable> failure, Stats stats) {
    CircuitBreakerConfig config = CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(10)
        .minimumNumberOfCalls(5)
        .failureRateThreshold(50)
        .waitDurationInOpenState(open)
        .permittedNumberOfCallsInHalfOpenState(2)
        .automaticTransitionFromOpenToHalfOpenEnabled(true)
        .recordException(failure)
        .build();
    CircuitBreaker cb = CircuitBreaker.of(name, config);
    cb.getEventPublisher().onStateTransition(e -> {
      String from = e.getStateTransition().getFromState().name();
      String to = e.getStateTransition().getToState().name();
      stats.transition(name, from, to);
      System.err.println("api: " + name + " circuit breaker " + from + " -> " + to);
    });
    return new Breaker(name, cb, stats);
  }

  /** A breaker that is not there: every call goes through. */
  static Breaker disabled(String name, Stats stats) {
    return new Breaker(name, null, stats);
  }

  boolean enabled() {
    return breaker != null;
  }

  /** CLOSED, OPEN, HALF_OPEN, or DISABLED when switched off. */
  String state() {
    return breaker == null ? "DISABLED" : breaker.getState().name();
  }

  boolean isOpen() {
    return breaker != null && breaker.getState() == CircuitBreaker.State.OPEN;
  }

  /** Whether a call would be let through now, without taking a permission. */
  boolean permits() {
    return breaker == null || switch (breaker.getState()) {
      case OPEN, FORCED_OPEN -> false;
      default -> true;
    };
  }

  <T> T call(Callable<T> work) throws Exception {
    if (breaker == null) return work.call();
    try {
      return breaker.executeCallable(work);
    } catch (CallNotPermittedException e) {
      stats.count(name + ".rejected");
      throw new Unavailable(name + " circuit breaker is open: failing fast until a trial call succeeds");
    }
  }

  Map<String, Object> describe() {
    Map<String, Object> out = new TreeMap<>();
    out.put("state", state());
    out.put("transitions", stats.get(name + ".transitions"));
    out.put("rejected", stats.get(name + ".rejected"));
    out.put("history", stats.transitions(name));
    if (breaker != null) out.put("failure_rate", breaker.getMetrics().getFailureRate());
    return out;
  }
}
