/**
 * Micrometer meters for Faultline runs, and a Prometheus endpoint for the command line.
 *
 * <p>{@link dev.faultline.metrics.RunMetrics} is a {@link dev.faultline.report.RunListener}: give it
 * your application's {@code MeterRegistry} and add it to an interpreter
 * ({@code Faultline.builder().listener(...)}) or a run, and scenarios, faults, guard checks and
 * breaches and traffic figures become meters ({@code chaos.scenarios}, {@code chaos.faults.active}…).
 * {@link dev.faultline.metrics.MetricsEndpoint} is what {@code --metrics-port} starts: a registry of
 * its own served on {@code /metrics}. The meters and their Prometheus names are listed in
 * docs/metrics.md; start reading at {@code RunMetrics}.
 */
package dev.faultline.metrics;
