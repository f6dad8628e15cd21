/**
 * Practice targets, kept apart from product code: nothing outside this package depends on it.
 *
 * <p>{@link dev.faultline.stdlib.demo.DemoLibrary} gives playbooks {@code demo.service()}, which
 * starts a {@link dev.faultline.stdlib.demo.DemoService}: a tiny HTTP/1.1 server on 127.0.0.1 built on
 * the JDK's {@code com.sun.net.httpserver}, with the endpoints listed in
 * {@link dev.faultline.stdlib.demo.DemoEndpoints} and an {@code outage} injector. The service is owned
 * by the scope that started it and stops when that scope ends. Used by
 * {@code playbooks/quickstart.fl}, the docs' examples and the tests. Start with {@code DemoService}.
 */
package dev.faultline.stdlib.demo;
