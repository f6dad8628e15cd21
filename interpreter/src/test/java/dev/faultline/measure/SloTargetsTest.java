package dev.faultline.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.host.HostError;
import dev.faultline.value.Percent;
import dev.faultline.value.Rate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each SLO target against known figures: the comparison, the message, and what is not judged. */
class SloTargetsTest {
  private static TrafficFigures figures(long requests, long errors, double availability, long p95Ms) {
    Duration p95 = Duration.ofMillis(p95Ms);
    return new TrafficFigures(requests, requests, errors, 0, 0, p95.dividedBy(2), p95, p95.multipliedBy(2), p95.multipliedBy(3),
        new Percent(errors * 100.0 / requests), new Percent(availability), new Rate(requests), Duration.ofSeconds(1));
  }

  private static Map<String, Object> slo(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  @Test
  void recoveriesGiveMttrRecoveryTimeAndRto() {
    List<Recovery> rs = List.of(new Recovery("up", Duration.ofSeconds(2), Duration.ofSeconds(5)),
        new Recovery("up", Duration.ofSeconds(4), Duration.ofSeconds(6)));
    List<SloVerdict> v = SloTargets.judge(slo("mttr", Duration.ofSeconds(3), "recovery_time", Duration.ofSeconds(3),
        "rto", Duration.ofSeconds(10)), rs, List.of());
    assertEquals("slo.mttr met: mean recovery time over 2 recoveries was 3s, the target is ≤ 3s", v.get(0).message());
    assertEquals("slo.recovery_time violated: longest recovery time over 2 recoveries was 4s, the target is ≤ 3s", v.get(1).message());
    assertTrue(v.get(2).passed());
  }

  @Test
  void theRpoIsTheLargestDataLossOfTheScenario() {
    List<DataLoss> losses = List.of(new DataLoss("writer w1 on db", 3, Duration.ofMillis(20)),
        new DataLoss("writer w1 in the restore of backup b", 140, Duration.ofMillis(900)));
    SloVerdict met = SloTargets.judge(slo("rpo", Duration.ofSeconds(5)), List.of(), List.of(), losses).get(0);
    assertEquals("slo.rpo met: data loss of writer w1 in the restore of backup b (140 acknowledged writes), the largest of 2 checks"
        + " was 900ms, the target is ≤ 5s", met.message());
    SloVerdict violated = SloTargets.judge(slo("rpo", Duration.ofMillis(100)), List.of(), List.of(), losses.subList(1, 2)).get(0);
    assertFalse(violated.passed());
    assertEquals("slo.rpo violated: data loss of writer w1 in the restore of backup b (140 acknowledged writes) was 900ms,"
        + " the target is ≤ 100ms", violated.message());
    SloVerdict none = SloTargets.judge(slo("rpo", Duration.ofSeconds(5)), List.of(), List.of()).get(0);
    assertTrue(none.passed() && !none.measured(), none.message());
    assertThrows(HostError.class, () -> SloTargets.judge(slo("rpo", new Percent(5)), List.of(), List.of(), losses));
  }

  @Test
  void trafficTargetsAreJudgedPerTraffic() {
    var a = new SloTargets.TrafficWindows("traffic \"a\"", figures(100, 2, 100, 50), Optional.empty(), Optional.empty());
    var b = new SloTargets.TrafficWindows("traffic \"b\"", figures(100, 10, 80, 50), Optional.empty(), Optional.empty());
    List<SloVerdict> v = SloTargets.judge(slo("error_rate", new Percent(5), "availability", new Percent(90), "p99", Duration.ofMillis(100)),
        List.of(), List.of(a, b));
    assertEquals(6, v.size());
    assertTrue(v.get(0).passed());
    assertEquals("slo.error_rate violated: error rate of traffic \"b\" was 10%, the target is ≤ 5%", v.get(1).message());
    assertEquals("slo.availability violated: availability of traffic \"b\" was 80%, the target is ≥ 90%", v.get(3).message());
    assertTrue(v.get(4).passed() && v.get(5).passed(), "p99 100ms is within 100ms");
  }

  @Test
  void latencyDegradationIsAbsoluteForADurationAndRelativeForAPercentage() {
    var t = new SloTargets.TrafficWindows("traffic \"a\"", figures(100, 0, 100, 150),
        Optional.of(figures(50, 0, 100, 100)), Optional.of(figures(50, 0, 100, 250)));
    SloVerdict absolute = SloTargets.judge(slo("latency_degradation", Duration.ofMillis(200)), List.of(), List.of(t)).get(0);
    assertTrue(absolute.passed(), absolute.message());
    assertEquals("150ms", absolute.value());
    SloVerdict relative = SloTargets.judge(slo("latency_degradation", new Percent(100)), List.of(), List.of(t)).get(0);
    assertFalse(relative.passed(), relative.message());
    assertEquals("150%", relative.value());
  }

  @Test
  void nothingToJudgePassesAndSaysSo() {
    List<SloVerdict> v = SloTargets.judge(slo("mttr", Duration.ofSeconds(1), "error_rate", new Percent(1), "failover", Duration.ofSeconds(30)),
        List.of(), List.of());
    assertEquals(2, v.size(), "slo.failover is the playbook's own value");
    assertTrue(v.stream().allMatch(x -> x.passed() && !x.measured()));
    assertEquals("slo.mttr not judged: no recovery (an await after a fault) was measured in this scenario", v.get(0).message());
  }

  @Test
  void wrongKindsAndTyposAreCaught() {
    HostError e = assertThrows(HostError.class, () -> SloTargets.judge(slo("mttr", new Percent(5)), List.of(), List.of()));
    assertEquals("slo.mttr must be a duration, got a percentage (5%)", e.getMessage());
    assertEquals(Map.of("slo.avilability", "slo.availability"), SloTargets.likelyTypos(slo("avilability", new Percent(99), "failover", 1L)));
  }
}
