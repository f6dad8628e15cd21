package dev.faultline.measure;

import java.time.Duration;

/**
 * One recovery: an {@code await} that succeeded after its scenario had injected a fault.
 *
 * @param condition the awaited condition as written
 * @param took what the await yielded: from the first check to the condition holding
 * @param sinceFault from the injection of the scenario's latest fault before the await to the
 *     condition holding (the recovery time objective's measure)
 */
public record Recovery(String condition, Duration took, Duration sinceFault) {}
