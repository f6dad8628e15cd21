package dev.faultline.stdlib.redis;

import dev.faultline.fault.Fault;
import dev.faultline.host.CallContext;
import dev.faultline.host.HostError;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Redis server or Sentinel of a local cluster taken down (SHUTDOWN NOSAVE, SIGTERM or SIGKILL),
 * reverted by starting it again from its configuration file on the same port. Idempotent both
 * ways. Its journal record names the program, the configuration and the address, so that
 * {@link RedisRecoverer} can start it again after the process that injected it died, while the
 * cluster's directory is still there.
 */
final class InstanceDown implements Fault {
  enum Mode {
    NOSAVE("redis.stop", "SHUTDOWN NOSAVE"), TERM("redis.stop", "SIGTERM"), KILL("redis.kill", "SIGKILL");

    final String kind;
    final String how;

    Mode(String kind, String how) {
      this.kind = kind;
      this.how = how;
    }
  }

  private final RedisNode node;
  private final Mode mode;
  private volatile boolean down;

  InstanceDown(RedisNode node, Mode mode) {
    this.node = node;
    this.mode = mode;
  }

  @Override
  public String kind() {
    return mode.kind;
  }

  @Override
  public String target() {
    return node.name() + " (" + node.address() + ")";
  }

  @Override
  public String describe() {
    String how = mode == Mode.NOSAVE && node.instance().kind == LocalInstance.Kind.SENTINEL ? "SIGTERM" : mode.how;
    return (mode == Mode.KILL ? "kill " : "stop ") + node.kind() + " " + target() + " with " + how;
  }

  @Override
  public String plan() {
    return describe() + "; started again on the same port when the scope ends";
  }

  @Override
  public Map<String, Object> undoRecord() {
    LocalInstance i = node.instance();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("version", 1);
    r.put("kind", mode.kind);
    r.put("name", i.name);
    r.put("program", i.program().toString());
    r.put("conf", i.conf().toString());
    r.put("address", i.address());
    return r;
  }

  @Override
  public void inject(CallContext context) throws Exception {
    if (down) return;
    LocalInstance i = node.instance();
    if (!i.isRunning()) throw new HostError(target() + " is not running; nothing was stopped");
    down = true;
    switch (mode) {
      case NOSAVE -> i.shutdown();
      case TERM -> {
        if (i.isPaused()) throw new HostError(target() + " is paused (SIGSTOP), so SIGTERM would wait", "resume it first, or use kill()");
        i.signal("TERM");
        i.awaitExit(java.time.Duration.ofSeconds(10));
      }
      case KILL -> {
        i.signal("KILL");
        i.awaitExit(java.time.Duration.ofSeconds(10));
      }
    }
  }

  @Override
  public void revert(CallContext context) {
    if (!down) return;
    LocalInstance i = node.instance();
    if (!i.isRunning()) {
      i.start();
      context.log(node.name() + " started again at " + i.address());
    }
    down = false;
  }

  @Override
  public String toString() {
    return describe();
  }
}
