/**
 * HTTP and TCP probes: {@code http.get}, {@code http.request} and {@code tcp.connect}.
 *
 * <p>{@link dev.faultline.stdlib.http.HttpLibrary} holds the functions and one lazily created
 * {@code java.net.http.HttpClient}; results are {@link dev.faultline.stdlib.http.HttpResult}
 * ({@code http_response}) and {@link dev.faultline.stdlib.http.TcpResult} ({@code tcp_result}).
 * A target that does not answer gives a result with an {@code error}, never a failed step, so probes
 * can be polled in {@code await}. {@code Waits} keeps every wait interruptible;
 * {@link dev.faultline.stdlib.http.Json} turns bodies into playbook values. Reference: docs/stdlib/http.md.
 */
package dev.faultline.stdlib.http;
