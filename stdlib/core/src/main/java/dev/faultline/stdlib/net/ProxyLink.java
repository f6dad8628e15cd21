package dev.faultline.stdlib.net;

import dev.faultline.fault.Fault;
import dev.faultline.host.Arg;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.host.Injector;
import dev.faultline.value.ByteSize;
import dev.faultline.value.HostValue;
import dev.faultline.value.Percent;
import java.time.Duration;
import java.util.Locale;

/**
 * A TCP fault proxy as playbooks hold it: where it listens, where it forwards, and injectors that
 * describe faults on the traffic through it. Building a fault touches nothing; the lifecycle
 * injects and reverts it. Thread-safe (the state is in {@link TcpProxy}).
 *
 * <p>The injectors require no capability. Rationale: the 'net' permission was needed to start the
 * proxy, which is the only thing they act on; a fault on it reaches no system but the traffic that
 * the playbook itself routed through its own proxy, and it ends with the process.
 */
@HostType(name = "link", doc = "A TCP fault proxy started by proxy(): clients connect to its address and their bytes are"
    + " relayed to the upstream, through whatever faults are injected. It stops when the scope that started it ends.")
public final class ProxyLink implements HostValue, AutoCloseable {
  private static final String DIRECTION_DOC = "which data: \"both\", \"upstream\" (client to server) or \"downstream\" (server to client)";
  private static final String TOXICITY_DOC = "the share of connections affected, drawn once per connection from the proxy's seed";

  private final TcpProxy proxy;

  ProxyLink(TcpProxy proxy) {
    this.proxy = proxy;
  }

  TcpProxy proxy() {
    return proxy;
  }

  /** The name given to proxy(), or the address when none was. */
  String label() {
    return proxy.name.isEmpty() ? address() : "'" + proxy.name + "' (" + address() + ")";
  }

  // ------------------------------------------------------------ members

  @HostFunction(name = "address", effect = Effect.PURE, doc = "Where clients connect: \"127.0.0.1:41234\".")
  public String address() {
    return proxy.host + ":" + proxy.port();
  }

  @HostFunction(name = "port", effect = Effect.PURE, doc = "The port the proxy listens on (the one picked when listen asked for 0).")
  public int port() {
    return proxy.port();
  }

  @HostFunction(name = "upstream", effect = Effect.PURE, doc = "Where the proxy forwards to: \"127.0.0.1:5432\".")
  public String upstream() {
    return proxy.upstream.getHostString() + ":" + proxy.upstream.getPort();
  }

  @HostFunction(name = "name", effect = Effect.PURE, doc = "The name given to proxy(); empty when none was.")
  public String name() {
    return proxy.name;
  }

  @HostFunction(name = "seed", effect = Effect.PURE, doc = "The seed that decides which connections a toxicity below 100% affects,"
      + " and which chunks loss() holds back.")
  public long seed() {
    return proxy.seed;
  }

  @HostFunction(name = "connections", effect = Effect.PROBE, doc = "How many client connections are open through the proxy now.")
  public int connections() {
    return proxy.connectionCount();
  }

  @HostFunction(name = "running", effect = Effect.PROBE, doc = "Whether the proxy is still running (down() counts as running).")
  public boolean running() {
    return proxy.isRunning();
  }

  // ------------------------------------------------------------ injectors

  @Injector(name = "latency", doc = "Delays each chunk by `delay` (± up to `jitter`), counted from the chunk's arrival at the proxy:"
      + " delays never add up, and chunks are never reordered.")
  public Fault latency(
      @Arg(name = "delay", doc = "the added one-way delay") Duration delay,
      @Arg(name = "jitter", doc = "random spread, up to this much either side of the delay", byDefault = "0ms") Duration jitter,
      @Arg(name = "direction", doc = DIRECTION_DOC, byDefault = "\"both\"") String direction,
      @Arg(name = "toxicity", doc = TOXICITY_DOC, byDefault = "100%") Percent toxicity) {
    nonNegative("latency", "delay", delay);
    nonNegative("latency", "jitter", jitter);
    String what = "latency " + show(delay) + (jitter.isZero() ? "" : " ± " + show(jitter));
    return fault(Toxic.Kind.LATENCY, what, direction, toxicity, delay, jitter, 0, 0);
  }

  @Injector(name = "bandwidth", doc = "Limits the throughput of each connection to `rate` bytes per second in each affected"
      + " direction: a chunk leaves once the chunks before it and itself have had their time on the wire.")
  public Fault bandwidth(
      @Arg(name = "rate", doc = "bytes per second: 1MB is a megabyte per second, 64KiB is 64 KiB per second") ByteSize rate,
      @Arg(name = "direction", doc = DIRECTION_DOC, byDefault = "\"both\"") String direction,
      @Arg(name = "toxicity", doc = TOXICITY_DOC, byDefault = "100%") Percent toxicity) {
    if (rate.bytes() < 1) throw new HostError("bandwidth() needs a rate of at least 1B per second, got " + rate);
    return fault(Toxic.Kind.BANDWIDTH, "bandwidth " + rate + "/s", direction, toxicity, null, null, rate.bytes(), 0);
  }

  @Injector(name = "slow_close", doc = "When one side closes, the proxy closes the other side only after `delay`.")
  public Fault slowClose(
      @Arg(name = "delay", doc = "how long the close is held back") Duration delay,
      @Arg(name = "direction", doc = DIRECTION_DOC, byDefault = "\"both\"") String direction,
      @Arg(name = "toxicity", doc = TOXICITY_DOC, byDefault = "100%") Percent toxicity) {
    nonNegative("slow_close", "delay", delay);
    return fault(Toxic.Kind.SLOW_CLOSE, "slow close " + show(delay), direction, toxicity, delay, null, 0, 0);
  }

  @Injector(name = "timeout", doc = "A blackhole: data stops, held by the proxy (which stops reading, as a full TCP window"
      + " would), and the connection stays open; closed after `after` when it is above 0. Reverted, the held data flows"
      + " again on the same connection.")
  public Fault timeout(
      @Arg(name = "after", doc = "close affected connections this long after the fault starts; 0ms keeps them open", byDefault = "0ms") Duration after,
      @Arg(name = "direction", doc = DIRECTION_DOC, byDefault = "\"both\"") String direction,
      @Arg(name = "toxicity", doc = TOXICITY_DOC, byDefault = "100%") Percent toxicity) {
    nonNegative("timeout", "after", after);
    String what = "timeout (data stops" + (after.isZero() ? ")" : ", closed after " + show(after) + ")");
    return fault(Toxic.Kind.TIMEOUT, what, direction, toxicity, after, null, 0, 0);
  }

  @Injector(name = "reset_peer", doc = "Resets connections (TCP RST, via SO_LINGER 0) `after` the fault starts, and new ones"
      + " as they arrive: downstream resets the client, upstream the server, both resets both.")
  public Fault resetPeer(
      @Arg(name = "after", doc = "how long after the fault starts (or the connection opens) to reset it", byDefault = "0ms") Duration after,
      @Arg(name = "direction", doc = DIRECTION_DOC, byDefault = "\"both\"") String direction,
      @Arg(name = "toxicity", doc = TOXICITY_DOC, byDefault = "100%") Percent toxicity) {
    nonNegative("reset_peer", "after", after);
    String what = "reset peer" + (after.isZero() ? "" : " after " + show(after));
    return fault(Toxic.Kind.RESET_PEER, what, direction, toxicity, after, null, 0, 0);
  }

  @Injector(name = "slicer", doc = "Splits each chunk into pieces of `size` bytes (give or take up to `variation`, drawn per"
      + " piece) sent `delay` apart.")
  public Fault slicer(
      @Arg(name = "size", doc = "the average size of a piece", byDefault = "16B") ByteSize size,
      @Arg(name = "delay", doc = "the pause between pieces", byDefault = "1ms") Duration delay,
      @Arg(name = "direction", doc = DIRECTION_DOC, byDefault = "\"both\"") String direction,
      @Arg(name = "toxicity", doc = TOXICITY_DOC, byDefault = "100%") Percent toxicity,
      @Arg(name = "variation", doc = "how far a piece's size may stray from `size`, either way (less than `size`)",
          byDefault = "0B") ByteSize variation) {
    if (size.bytes() < 1) throw new HostError("slicer() needs a size of at least 1B, got " + size);
    if (variation.bytes() < 0 || variation.bytes() >= size.bytes()) {
      throw new HostError("slicer() needs a variation from 0B to less than its size (" + size + "), got " + variation);
    }
    nonNegative("slicer", "delay", delay);
    percent("slicer", "toxicity", toxicity);
    String what = "slicer " + size + (variation.bytes() == 0 ? "" : " ± " + variation) + " pieces " + show(delay) + " apart";
    Toxic t = new Toxic(Toxic.Kind.SLICER, direction("slicer", direction), toxicity.fraction(), proxy.nextToxicSerial(),
        delay, null, size.bytes(), variation.bytes(), 0);
    return new LinkFault(this, "slicer", what, t);
  }

  @Injector(name = "limit_data", doc = "Closes a connection once `bytes` have passed in an affected direction (counted per"
      + " direction, from when the fault starts).")
  public Fault limitData(
      @Arg(name = "bytes", doc = "how much data may pass before the connection is closed") ByteSize bytes,
      @Arg(name = "direction", doc = DIRECTION_DOC, byDefault = "\"both\"") String direction,
      @Arg(name = "toxicity", doc = TOXICITY_DOC, byDefault = "100%") Percent toxicity) {
    if (bytes.bytes() < 0) throw new HostError("limit_data() needs a size of at least 0B, got " + bytes);
    return fault(Toxic.Kind.LIMIT_DATA, "limit data to " + bytes, direction, toxicity, null, null, bytes.bytes(), 0);
  }

  @Injector(name = "loss", doc = "Packet loss as TCP turns it into delay: each chunk is, with `probability`, held back for a"
      + " retransmission timeout (200ms, doubling on consecutive losses up to 6.4s). Nothing is dropped.")
  public Fault loss(
      @Arg(name = "probability", doc = "the chance that a chunk is lost once", byDefault = "5%") Percent probability,
      @Arg(name = "direction", doc = DIRECTION_DOC, byDefault = "\"both\"") String direction,
      @Arg(name = "toxicity", doc = TOXICITY_DOC, byDefault = "100%") Percent toxicity) {
    percent("loss", "probability", probability);
    return fault(Toxic.Kind.LOSS, "loss " + probability, direction, toxicity, null, null, 0, probability.fraction());
  }

  @Injector(name = "down", doc = "Takes the proxy down: its port is closed, so new connections are refused, and every open"
      + " connection is cut. Reverted, it listens on the same port again.")
  public Fault down() {
    return new LinkFault(this, "down", "down (refuse new connections, cut open ones)", null);
  }

  private Fault fault(Toxic.Kind kind, String what, String direction, Percent toxicity, Duration time, Duration jitter,
      long bytes, double probability) {
    percent(kind.word, "toxicity", toxicity);
    Toxic t = new Toxic(kind, direction(kind.word, direction), toxicity.fraction(), proxy.nextToxicSerial(), time, jitter, bytes, probability);
    return new LinkFault(this, kind.word, what, t);
  }

  private static Toxic.Direction direction(String fn, String word) {
    try {
      return Toxic.Direction.valueOf(word.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new HostError(fn + "() needs a direction of \"both\", \"upstream\" or \"downstream\", got \"" + word + "\"");
    }
  }

  private static void percent(String fn, String param, Percent p) {
    if (p.points() < 0 || p.points() > 100) throw new HostError(fn + "() needs a " + param + " from 0% to 100%, got " + p);
  }

  private static void nonNegative(String fn, String param, Duration d) {
    if (d.isNegative()) throw new HostError(fn + "() needs a " + param + " of 0ms or more, got " + show(d));
  }

  static String show(Duration d) {
    long ms = d.toMillis();
    if (d.toNanos() % 1_000_000 != 0) return d.toNanos() / 1000 + "µs";
    if (ms % 1000 == 0 && ms != 0) return ms / 1000 + "s";
    return ms + "ms";
  }

  @Override
  public void close() {
    proxy.stop();
  }

  @Override
  public String show() {
    return "link " + label() + " → " + upstream() + (running() ? "" : " (stopped)");
  }

  @Override
  public String toString() {
    return show();
  }
}
