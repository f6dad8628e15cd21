package dev.faultline.stdlib.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.fault.Recovery;
import dev.faultline.stdlib.demo.DemoService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example of docs/hooks.md across a crash: a run poisons a demo service's store (the service
 * lives in this JVM, the run in a child), is killed, and {@code recover} removes the poison through
 * the hook's {@code recover(record)}.
 */
class HookExampleTest {
  static final Path HOOK = Path.of("../../docs/examples/hooks/poison-items.js").toAbsolutePath().normalize();

  @TempDir Path dir;
  DemoService shop = DemoService.start("shop", 0);
  Process child;

  @AfterEach
  void stop() throws Exception {
    if (child != null) child.destroyForcibly();
    shop.close();
  }

  int items() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(shop.url() + "/api/items")).build(),
        HttpResponse.BodyHandlers.ofString());
    return new ObjectMapper().readValue(r.body(), List.class).size();
  }

  @Test
  void recoverRemovesThePoisonAKilledRunLeftBehind() throws Exception {
    Path file = Files.writeString(dir.resolve("poison.fl"), """
        playbook "poison-then-die" {
          hook "%s"
          scenario "s" {
            step "poison, then wait to be killed" {
              inject shop.poison_items(url: "%s", count: 3)
              wait 60s
            }
          }
        }
        """.formatted(HOOK, shop.url()));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), HookRunMain.class.getName(),
        file.toString(), dir.resolve("journal").toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("child.out").toFile()).start();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (items() < 5 && System.nanoTime() < end && child.isAlive()) Thread.sleep(20);
    assertEquals(5, items(), "the run poisoned the store: " + Files.readString(dir.resolve("child.out")));
    child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    assertEquals(5, items(), "the poison outlived the run");

    Recovery.Result r = Recovery.recover(dir.resolve("journal"), Recovery.installed());
    assertEquals(1, r.count(Recovery.Outcome.REVERTED), String.join("\n", r.lines()));
    assertTrue(r.clean(), String.join("\n", r.lines()));
    assertEquals(2, items(), "only the service's own items are left");
  }
}
