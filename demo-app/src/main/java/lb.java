/**
 * The load balancer's entry point, named so that {@code demo-app/run lb --port 8080 …} runs as a
 * process whose command line is exactly those words (see demo-app/run). Everything else is in
 * {@link dev.faultline.demoapp.LoadBalancerCommand}.
 */
public final class lb {
  private lb() {}

  public static void main(String[] args) {
    dev.faultline.demoapp.LoadBalancerCommand.main(args);
  }
}
