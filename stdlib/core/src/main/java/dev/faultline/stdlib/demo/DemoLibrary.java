package dev.faultline.stdlib.demo;

import dev.faultline.host.Arg;
import dev.faultline.host.CallContext;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.Library;
import dev.faultline.value.Values;

/**
 * Demo targets for newcomers, docs and tests: {@code demo.service()}. Stateless; each call starts
 * a new service owned by the calling scope.
 */
public final class DemoLibrary implements Library {

  /*
   * ACTION, so a dry run does not start it; it requires no capability. Rationale: it is an
   * in-process practice target, bound to an ephemeral port on the loopback address and stopped with
   * its scope. The 'net' capability guards listening ports that stand in front of real systems
   * (fault proxies); asking for it here would make every newcomer's first run a permission error
   * while protecting nothing.
   */
  @HostFunction(name = "demo.service", effect = Effect.ACTION, doc = "Starts a small demo HTTP service on 127.0.0.1 with /health, /api/items,"
      + " /api/slow?ms=N and /api/status/{code}. It stops, and frees its port, when the playbook, scenario or step"
      + " that started it ends.")
  public DemoService service(
      @Arg(name = "port", doc = "the port to listen on; 0 picks a free one", byDefault = "0") int port,
      @Arg(name = "name", doc = "a name for logs and the Server header", byDefault = "\"demo\"") String name,
      CallContext ctx) {
    if (port < 0 || port > 65535) throw new HostError("service() needs a port from 0 to 65535, got " + port);
    if (name.isBlank() || !name.chars().allMatch(c -> c >= 0x21 && c < 0x7f)) {
      throw new HostError("service() needs a name of printable characters without spaces, got " + Values.showNested(name),
          "e.g. name: \"shop\"");
    }
    DemoService service = DemoService.start(name, port);
    ctx.own(service, "demo service '" + name + "' at " + service.url());
    ctx.log("demo service '" + name + "' listening at " + service.url());
    return service;
  }
}
