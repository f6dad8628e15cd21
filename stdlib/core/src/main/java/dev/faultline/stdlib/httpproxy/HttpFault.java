package dev.faultline.stdlib.httpproxy;

import dev.faultline.fault.Fault;
import dev.faultline.host.CallContext;
import dev.faultline.value.Percent;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * One fault on an HTTP link: answer with a status, delay, or abort, for a share ({@code rate}) of
 * the requests that match a method and a path glob. Built by an {@link HttpLink} injector without
 * touching the link; {@link #inject} adds it to the link's active faults and {@link #revert}
 * removes it, both idempotent (identity, not value, so two equal faults stack and revert apart).
 *
 * <p>Each fault draws its decisions from its own generator seeded by {@code seed}, one draw per
 * matching request, so the same requests in the same order get the same decisions. Thread-safe:
 * draws are taken under the fault's lock (requests arrive on several event loops).
 *
 * <p>{@link #undoRecord()} is empty: the fault lives in this process's proxy, which dies with the
 * process, so nothing remains to undo from outside it.
 */
final class HttpFault implements Fault {
  enum Kind {
    STATUS("http.status"), DELAY("http.delay"), ABORT("http.abort");

    final String word;

    Kind(String word) {
      this.word = word;
    }
  }

  private final HttpLink link;
  private final Kind kind;
  private final int status;
  private final Duration delay;
  private final Percent rate;
  private final String method;
  private final String path;
  private final Pattern glob;
  private final long seed;
  private final SplittableRandom random;

  HttpFault(HttpLink link, Kind kind, int status, Duration delay, Percent rate, String method, String path, long seed) {
    this.link = link;
    this.kind = kind;
    this.status = status;
    this.delay = delay;
    this.rate = rate;
    this.method = method.strip().toUpperCase(Locale.ROOT);
    this.path = path.strip();
    this.glob = this.path.isEmpty() ? null : glob(this.path);
    this.seed = seed;
    this.random = new SplittableRandom(seed);
  }

  /**
   * A path glob as a regex: {@code *} is any run of characters, {@code /} included, and {@code ?}
   * one character; everything else is literal. Rationale: {@code /api/*} should cover
   * {@code /api/items/7} as users of URL patterns expect, without a second wildcard to learn.
   */
  static Pattern glob(String glob) {
    StringBuilder re = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (char c : glob.toCharArray()) {
      if (c == '*' || c == '?') {
        if (literal.length() > 0) re.append(Pattern.quote(literal.toString()));
        literal.setLength(0);
        re.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    if (literal.length() > 0) re.append(Pattern.quote(literal.toString()));
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }

  Kind faultKind() {
    return kind;
  }

  int status() {
    return status;
  }

  Duration delay() {
    return delay;
  }

  /** Whether the request is one this fault may act on (method and path; the query is not part of the path). */
  boolean matches(String requestMethod, String requestPath) {
    if (!method.isEmpty() && !method.equals(requestMethod)) return false;
    return glob == null || glob.matcher(requestPath).matches();
  }

  /** One draw: whether this matching request is in the fault's share. */
  boolean applies() {
    double p = rate.fraction();
    if (p >= 1) return true;
    if (p <= 0) return false;
    synchronized (random) {
      return random.nextDouble() < p;
    }
  }

  @Override
  public String kind() {
    return kind.word;
  }

  @Override
  public String target() {
    return link.url();
  }

  @Override
  public String describe() {
    String what = switch (kind) {
      case STATUS -> "answer " + status;
      case DELAY -> "delay by " + millis(delay);
      case ABORT -> "abort the connection";
    };
    String which = (method.isEmpty() ? "" : method + " ") + (path.isEmpty() ? "requests" : "requests to " + path);
    return what + " for " + rate + " of " + which + " on HTTP link " + link.show() + " (seed " + seed + ")";
  }

  @Override
  public String plan() {
    return describe() + "; removed from the proxy when the scope ends";
  }

  private static String millis(Duration d) {
    return d.toNanos() % 1_000_000 == 0 ? d.toMillis() + "ms" : d.toNanos() / 1000 + "µs";
  }

  @Override
  public void inject(CallContext context) {
    link.add(this);
  }

  @Override
  public void revert(CallContext context) {
    link.remove(this);
  }

  /** Empty: the fault is held by this process's proxy and ends with it. */
  @Override
  public Map<String, Object> undoRecord() {
    return Map.of();
  }

  @Override
  public String toString() {
    return describe();
  }
}
