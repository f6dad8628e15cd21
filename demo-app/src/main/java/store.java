/**
 * The object store's entry point, named so that {@code demo-app/run store --port 9000 --dir d} runs
 * as a process whose command line is exactly those words (see the comment in demo-app/run).
 * Everything else is in {@link dev.faultline.demoapp.ObjectStoreCommand}.
 */
public final class store {
  private store() {}

  public static void main(String[] args) {
    dev.faultline.demoapp.ObjectStoreCommand.main(args);
  }
}
