package dev.faultline.check;

import dev.faultline.fault.Fault;
import dev.faultline.host.Arg;
import dev.faultline.host.CallContext;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.host.Injector;
import dev.faultline.value.ByteSize;
import dev.faultline.value.HostValue;
import dev.faultline.value.Percent;
import java.time.Duration;

/** Host functions the check playbooks call: a link with an injector, a proxy, a namespace. */
public final class TestLibrary {

  @HostType(name = "link", doc = "A proxied TCP link.")
  public static final class Link implements HostValue {
    @Injector(name = "latency", doc = "Delays each chunk by `delay`, varied by up to `jitter`.")
    public Fault latency(
        @Arg(name = "delay", doc = "added one-way delay") Duration delay,
        @Arg(name = "jitter", doc = "random spread around the delay", byDefault = "0ms") Duration jitter) {
      return new Nothing("latency " + delay);
    }

    @Injector(name = "reset", doc = "Resets every connection on the link.")
    public Fault reset() {
      return new Nothing("reset");
    }

    @HostFunction(name = "url", doc = "The address clients connect to.")
    public String url() {
      return "127.0.0.1:0";
    }

    @HostFunction(name = "bytes", doc = "Bytes carried so far.")
    public ByteSize bytes() {
      return new ByteSize(0);
    }
  }

  @HostFunction(name = "proxy", doc = "Starts a TCP proxy from `listen` to `upstream`.")
  public Link proxy(
      @Arg(name = "listen", doc = "address to listen on") String listen,
      @Arg(name = "upstream", doc = "address to forward to") String upstream) {
    return new Link();
  }

  @HostFunction(name = "demo.thing", doc = "Makes a thing of a size.")
  public String thing(
      @Arg(name = "name", doc = "its name") String name,
      @Arg(name = "size", doc = "its size", byDefault = "1MB") ByteSize size) {
    return name;
  }

  @HostFunction(name = "demo.healthy", doc = "Whether the demo service answers.")
  public boolean healthy() {
    return true;
  }

  @HostFunction(name = "demo.probe.error_rate", doc = "Share of failed requests.")
  public Percent errorRate() {
    return new Percent(0);
  }

  @HostFunction(name = "demo.probe.latency", doc = "Latency of one request.")
  public Duration probeLatency(@Arg(name = "path", doc = "path to ask", byDefault = "\"/\"") String path) {
    return Duration.ZERO;
  }

  @Injector(name = "demo.crash", doc = "Crashes the demo process.")
  public Fault crash(@Arg(name = "signal", doc = "signal to send", byDefault = "9") long signal) {
    return new Nothing("crash");
  }

  /** A fault that touches nothing; the checker never injects anyway. */
  record Nothing(String describe) implements Fault {
    public void inject(CallContext context) {}

    public void revert(CallContext context) {}
  }
}
