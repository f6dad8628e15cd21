package dev.faultline.stdlib.toxiproxy;

import dev.faultline.fault.Capability;
import dev.faultline.host.Arg;
import dev.faultline.host.CallContext;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.Library;
import dev.faultline.stdlib.net.NetLibrary;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * {@code toxiproxy_server(listen)}: a Toxiproxy-compatible control API owned by the calling scope,
 * so that tests driving Toxiproxy can drive Faultline's fault proxy while a playbook runs.
 */
public final class ToxiproxyLibrary implements Library {
  @HostFunction(name = "toxiproxy_server", effect = Effect.ACTION, requires = Capability.NET, doc = "Starts an HTTP server that"
      + " speaks Toxiproxy's API (proxies, toxics, reset, populate, version) over Faultline's TCP fault proxy. Every toxic is a"
      + " fault; when the playbook, scenario or step that started it ends, every toxic is reverted and every proxy closed.")
  public ToxiproxyServer toxiproxyServer(
      @Arg(name = "listen", doc = "host:port for the API; port 0 picks a free one", byDefault = "\"127.0.0.1:0\"") String listen,
      CallContext ctx) {
    InetSocketAddress at = NetLibrary.parseAddress("listen", listen);
    ToxiproxyServer server;
    try {
      server = ToxiproxyServer.start(at, null);
    } catch (IOException e) {
      throw new HostError("toxiproxy_server(): cannot listen on " + listen + ": " + e.getMessage(),
          "use listen: \"127.0.0.1:0\" to let the system pick a free port");
    }
    ctx.own(server, "toxiproxy server " + server.url());
    ctx.log("toxiproxy server " + server.url());
    return server;
  }
}
