package dev.faultline.demoapp;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The object store as the API uses it: PUT and GET of objects, each retried on a 5xx answer, a
 * connection error, a timeout or a content check that fails, with exponential backoff and jitter
 * (Resilience4j Retry: the first delay {@code --retry-initial-ms}, doubled each time, randomised by
 * ±50 %, at most {@code --retry-max-ms}). An upload counts as stored only when the store's ETag is the
 * MD5 the API computed itself; a download only when the bytes hash to the ETag. When the attempts
 * are spent the caller gets a 503 naming the last failure.
 */
final class UploadClient {
  /** What the store kept. */
  record Stored(String key, String etag, long size, int attempts) {}

  /** An object read back, with its ETag. */
  record Fetched(byte[] data, String etag) {}

  /** A failure worth another attempt. */
  static final class Transient extends IOException {
    private static final long serialVersionUID = 1L;

    Transient(String message) {
      super(message);
    }
  }

  private final String base;
  private final Duration timeout;
  private final Stats stats;
  private final HttpClient http;
  private final Retry uploads;
  private final Retry downloads;

  UploadClient(ApiConfig config, Stats stats) {
    this.base = config.store() == null ? null : config.store().replaceAll("/+$", "");
    this.timeout = Duration.ofMillis(config.storeTimeoutMillis());
    this.stats = stats;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    RetryConfig rc = RetryConfig.custom()
        .maxAttempts(config.retryAttempts())
        .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(
            Duration.ofMillis(config.retryInitialMillis()), 2.0, 0.5, Duration.ofMillis(config.retryMaxMillis())))
        .retryOnException(e -> e instanceof IOException)
        .build();
    this.uploads = Retry.of("uploads", rc);
    this.uploads.getEventPublisher().onRetry(e -> {
      stats.count("uploads.retries");
      stats.retryDelay(e.getWaitInterval().toMillis());
    });
    this.downloads = Retry.of("downloads", rc);
    this.downloads.getEventPublisher().onRetry(e -> stats.count("downloads.retries"));
  }

  boolean configured() {
    return base != null;
  }

  Stored put(String key, byte[] data) {
    requireStore();
    String md5 = md5(data);
    AtomicInteger attempts = new AtomicInteger();
    try {
      Stored stored = uploads.executeCallable(() -> {
        attempts.incrementAndGet();
        stats.count("uploads.attempts");
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri(key)).timeout(timeout)
            .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 500) throw new Transient("the object store answered " + r.statusCode());
        if (r.statusCode() / 100 != 2) throw new StoreRefused(r.statusCode(), r.body());
        String etag = etag(r);
        if (!md5.equals(etag)) {
          stats.count("uploads.etag_mismatches");
          throw new Transient("the object store's ETag " + etag + " is not the content's MD5 " + md5);
        }
        return new Stored(key, etag, data.length, attempts.get());
      });
      stats.count("uploads.succeeded");
      return stored;
    } catch (StoreRefused e) {
      stats.count("uploads.failures");
      throw e;
    } catch (Exception e) {
      stats.count("uploads.failures");
      throw new Unavailable("object store unavailable: the upload of '" + key + "' failed after " + attempts.get()
          + (attempts.get() == 1 ? " attempt" : " attempts") + ": " + e.getMessage(), e);
    }
  }

  Optional<Fetched> get(String key) {
    requireStore();
    AtomicInteger attempts = new AtomicInteger();
    try {
      return downloads.executeCallable(() -> {
        attempts.incrementAndGet();
        stats.count("downloads.attempts");
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(uri(key)).timeout(timeout).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 404) return Optional.<Fetched>empty();
        if (r.statusCode() >= 500) throw new Transient("the object store answered " + r.statusCode());
        if (r.statusCode() / 100 != 2) throw new StoreRefused(r.statusCode(), new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
        String etag = etag(r);
        String md5 = md5(r.body());
        if (!md5.equals(etag)) throw new Transient("the object read back hashes to " + md5 + ", not its ETag " + etag);
        return Optional.of(new Fetched(r.body(), etag));
      });
    } catch (StoreRefused e) {
      throw e;
    } catch (Exception e) {
      stats.count("downloads.failures");
      throw new Unavailable("object store unavailable: reading '" + key + "' failed after " + attempts.get()
          + (attempts.get() == 1 ? " attempt" : " attempts") + ": " + e.getMessage(), e);
    }
  }

  /** "up" when the store answers its health check within a second, "down" otherwise, "off" when none is configured. */
  String state() {
    if (base == null) return "off";
    try {
      HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).timeout(Duration.ofSeconds(1)).GET().build(),
          HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200 ? "up" : "down";
    } catch (IOException e) {
      return "down";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "down";
    }
  }

  /** The store answered 4xx: not retried, passed on to the client. */
  static final class StoreRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;

    StoreRefused(int status, String body) {
      super("the object store refused the request (" + status + "): " + body);
      this.status = status;
    }
  }

  private void requireStore() {
    if (base == null) throw new Unavailable("no object store configured: start the API with --store http://127.0.0.1:PORT");
  }

  private URI uri(String key) {
    return URI.create(base + "/" + key);
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
    try {
      return http.send(request, handler);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted");
    } catch (IOException e) {
      throw new Transient("cannot reach the object store: " + e);
    }
  }

  private static String etag(HttpResponse<?> r) {
    return r.headers().firstValue("ETag").map(v -> v.replace("\"", "")).orElse("(none)");
  }

  static String md5(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no MD5", e);
    }
  }
}
