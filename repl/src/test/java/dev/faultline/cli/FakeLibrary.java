package dev.faultline.cli;

import dev.faultline.fault.Fault;
import dev.faultline.host.Arg;
import dev.faultline.host.CallContext;
import dev.faultline.host.HostFunction;
import dev.faultline.host.Injector;
import dev.faultline.host.Library;
import java.io.IOException;

/**
 * Test-only host functions, found through ServiceLoader on the test class path: a fault that
 * touches nothing (so the golden playbooks can show injection, reverts and revert failures without
 * the standard library), and a host function with a bug (to show how internal errors print).
 */
public final class FakeLibrary implements Library {

  @Injector(name = "fake.fault", doc = "A fault that touches nothing; its revert can be made to fail.")
  public Fault fault(
      @Arg(name = "what", doc = "what the fault pretends to do") String what,
      @Arg(name = "revert_fails", doc = "whether every attempt to revert it fails", byDefault = "false") boolean revertFails) {
    return new FakeFault(what, revertFails);
  }

  @HostFunction(name = "fake.crash", doc = "Throws an exception that is no HostError, as a host function with a bug would.")
  public Object crash() {
    throw new IllegalStateException("the fake host function crashed");
  }

  /** Does nothing on inject; on revert, does nothing or fails as asked. */
  record FakeFault(String what, boolean revertFails) implements Fault {
    @Override
    public String describe() {
      return what;
    }

    @Override
    public String kind() {
      return "fake";
    }

    @Override
    public String target() {
      return "nothing";
    }

    @Override
    public void inject(CallContext context) {}

    @Override
    public void revert(CallContext context) throws IOException {
      if (revertFails) throw new IOException("the fake target refuses to be restored");
    }
  }
}
