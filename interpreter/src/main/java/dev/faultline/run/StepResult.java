package dev.faultline.run;

import java.time.Duration;
import java.time.Instant;

/** How one step ended. {@code message} says why it failed, was skipped or aborted; empty when passed. */
public record StepResult(String name, Status status, Instant start, Duration duration, String message, String at) {}
