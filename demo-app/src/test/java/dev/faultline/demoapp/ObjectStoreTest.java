package dev.faultline.demoapp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectStoreTest {
  @TempDir Path dir;
  private ObjectStore store;
  private Client client;

  @BeforeEach
  void start() throws Exception {
    store = ObjectStore.start(0, dir.resolve("objects"));
    client = new Client(store.port());
  }

  @AfterEach
  void stop() {
    store.close();
  }

  @Test
  void putGetHeadDeleteWithMd5Etags() throws Exception {
    byte[] data = "hello object store".getBytes(StandardCharsets.UTF_8);
    String md5 = UploadClient.md5(data);
    Client.Answer put = client.put("/greeting.txt", data);
    assertEquals(200, put.status(), put.toString());
    assertEquals("\"" + md5 + "\"", put.header("ETag"));
    assertArrayEquals(data, Files.readAllBytes(dir.resolve("objects/greeting.txt")));

    Client.Answer get = client.get("/greeting.txt");
    assertEquals(200, get.status());
    assertArrayEquals(data, get.bytes());
    assertEquals("\"" + md5 + "\"", get.header("ETag"));

    Client.Answer head = client.method("HEAD", "/greeting.txt");
    assertEquals(200, head.status());
    assertEquals("\"" + md5 + "\"", head.header("ETag"));
    assertEquals(0, head.bytes().length);

    assertEquals(204, client.method("DELETE", "/greeting.txt").status());
    assertEquals(404, client.get("/greeting.txt").status());
    assertEquals(404, client.method("HEAD", "/greeting.txt").status());
  }

  @Test
  void anOverwriteReplacesTheWholeObjectAndLeavesNoTemporaryFile() throws Exception {
    client.put("/k", new byte[100_000]);
    byte[] second = "short".getBytes(StandardCharsets.UTF_8);
    client.put("/k", second);
    assertArrayEquals(second, client.get("/k").bytes());
    try (var files = Files.list(dir.resolve("objects"))) {
      assertEquals(1, files.count(), "a temporary file was left behind");
    }
  }

  @Test
  void keysThatCouldEscapeTheDirectoryAreRefused() {
    assertEquals(400, client.put("/..hidden", new byte[1]).status());
    assertEquals(400, client.put("/a%2Fb", new byte[1]).status());
    assertEquals(400, client.get("/").status());
    assertEquals(405, client.post("/k", "{}").status());
    assertTrue(client.get("/health").text().startsWith("ok"));
  }
}
