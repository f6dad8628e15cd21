package dev.faultline.stdlib.postgres;

import dev.faultline.host.Effect;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.value.HostValue;
import dev.faultline.value.Values;
import java.time.Duration;

/** What pg_verifybackup said of a base backup. Immutable; probe-shaped (ok, error, latency). */
@HostType(name = "backup_verification", doc = "pg_verifybackup's verdict on a base backup: ok, error, latency.")
public final class BackupVerification implements HostValue {
  private final boolean ok;
  private final String error;
  private final Duration latency;

  BackupVerification(boolean ok, String error, Duration latency) {
    this.ok = ok;
    this.error = error;
    this.latency = latency;
  }

  @HostFunction(name = "ok", effect = Effect.PURE, doc = "Every file matches the manifest and the WAL it needs is there.")
  public boolean ok() {
    return ok;
  }

  @HostFunction(name = "error", effect = Effect.PURE, doc = "What pg_verifybackup found wrong; empty when ok.")
  public String error() {
    return error;
  }

  @HostFunction(name = "latency", effect = Effect.PURE, doc = "How long the verification took.")
  public Duration latency() {
    return latency;
  }

  @Override
  public String show() {
    return "backup_verification " + (ok ? "ok" : "failed: " + error) + " in " + Values.show(latency);
  }

  @Override
  public String toString() {
    return show();
  }
}
