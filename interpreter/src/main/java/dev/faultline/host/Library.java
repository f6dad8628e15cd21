package dev.faultline.host;

/**
 * A set of host functions found through {@link java.util.ServiceLoader}: the standard library's
 * areas register themselves in {@code META-INF/services/dev.faultline.host.Library}. A library's
 * constructor must be cheap: heavy engines (JDBC pools, GraalJS) start on first use, never here.
 */
public interface Library {}
