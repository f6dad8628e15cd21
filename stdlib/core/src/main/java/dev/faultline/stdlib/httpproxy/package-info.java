/**
 * The HTTP fault proxy: {@code http_proxy(listen, upstream)} starts an HTTP/1.1 reverse proxy on
 * Netty in front of a real service, and its link's injectors answer a share of requests with a
 * status, delay them, or abort their connections, optionally only for a method and a path glob.
 *
 * <p>{@link dev.faultline.stdlib.httpproxy.HttpProxyLibrary} is the function;
 * {@link dev.faultline.stdlib.httpproxy.HttpLink} the running proxy as playbooks hold it;
 * {@link dev.faultline.stdlib.httpproxy.HttpFault} its faults; {@code Relay} the per-connection
 * handler that streams requests and responses; {@code Transport} the one shared event loop group.
 * Start with {@code HttpLink}.
 */
package dev.faultline.stdlib.httpproxy;
