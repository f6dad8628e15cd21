/**
 * Background traffic: {@code traffic(url, rate: 200/s)} sends HTTP requests on a fixed, open-model
 * schedule while steps inject faults, and exposes live and windowed figures (requests, errors,
 * error rate, availability, p50/p95/p99/max latency, throughput).
 *
 * <p>{@link dev.faultline.stdlib.traffic.TrafficLibrary} is the function; {@link dev.faultline.stdlib.traffic.Traffic}
 * the running generator (a {@code dev.faultline.measure.LiveTraffic} for the run and the REPL);
 * {@code SampleLog} keeps every request by its due time and computes figures over any window with
 * HdrHistogram; {@link dev.faultline.stdlib.traffic.TrafficWindow} is a window's figures.
 * Reference: docs/stdlib/validation.md.
 */
package dev.faultline.stdlib.traffic;
