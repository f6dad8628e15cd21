/**
 * The API's entry point, named so that {@code demo-app/run api --port 8080} runs as a process whose
 * command line is exactly those words (see the comment in demo-app/run). Everything else is in
 * {@link dev.faultline.demoapp.ApiCommand}.
 */
public final class api {
  private api() {}

  public static void main(String[] args) {
    dev.faultline.demoapp.ApiCommand.main(args);
  }
}
