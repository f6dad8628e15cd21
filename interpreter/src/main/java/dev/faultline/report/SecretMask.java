package dev.faultline.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.regex.Pattern;

/**
 * Hides secrets in what a run writes down (event messages and data, records, params), so that no
 * report, log line or terminal output shows them: the values of params marked {@code secret},
 * passwords in URLs ({@code postgres://app:pw@host} becomes {@code postgres://app:***@host}) and
 * bearer tokens ({@code Bearer abc…} becomes {@code Bearer ***}). Thread-safe.
 */
public final class SecretMask {
  /** What a secret is replaced with. */
  public static final String MASK = "***";
  /** Rationale: shorter values ("1", "on") would mask ordinary words everywhere; a secret that short is not a secret. */
  private static final int SHORTEST = 4;
  private static final Pattern URL_PASSWORD = Pattern.compile("(?<=://)([^/\\s:@]+):([^/\\s@]+)@");
  private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9\\-._~+/]+=*");

  private final Set<String> secrets = new CopyOnWriteArraySet<>();

  /**
   * Adds a secret value to hide from now on; values shorter than four characters are ignored.
   *
   * @param secret the value, or null
   */
  public void add(String secret) {
    if (secret != null && secret.length() >= SHORTEST) secrets.add(secret);
  }

  /**
   * {@return the text with every secret, URL password and bearer token replaced by {@link #MASK}}
   *
   * @param text any text, or null
   */
  public String mask(String text) {
    if (text == null || text.isEmpty()) return text;
    String out = text;
    for (String s : secrets) {
      if (out.contains(s)) out = out.replace(s, MASK);
    }
    if (out.indexOf("://") >= 0) out = URL_PASSWORD.matcher(out).replaceAll("$1:" + MASK + "@");
    if (out.toLowerCase(java.util.Locale.ROOT).contains("bearer")) out = BEARER.matcher(out).replaceAll("$1" + MASK);
    return out;
  }

  /**
   * {@return a diagnostic with its message, label, notes and help masked}; the same one when there is nothing to hide
   *
   * @param d a diagnostic, or null
   */
  public dev.faultline.source.Diagnostic mask(dev.faultline.source.Diagnostic d) {
    if (d == null || secrets.isEmpty() && !d.message().contains("://") && !d.message().toLowerCase(java.util.Locale.ROOT).contains("bearer")) return d;
    return new dev.faultline.source.Diagnostic(d.severity(), mask(d.message()), d.at(), d.label().map(this::mask),
        d.notes().stream().map(this::mask).toList(), d.help().map(this::mask));
  }

  /**
   * {@return the value with strings masked, maps and lists walked}; everything else as it is
   *
   * @param value any playbook value
   */
  public Object maskValue(Object value) {
    if (value instanceof String s) return mask(s);
    if (value instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(k, maskValue(v)));
      return out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object v : l) out.add(maskValue(v));
      return out;
    }
    return value;
  }

  /**
   * {@return an event's data with every string masked}; the same map when there is nothing to hide
   *
   * @param data the data, or null
   */
  public Map<String, Object> maskData(Map<String, Object> data) {
    if (data == null || data.isEmpty()) return data;
    Map<String, Object> out = null;
    for (var e : data.entrySet()) {
      Object masked = maskValue(e.getValue());
      if (out == null && !java.util.Objects.equals(masked, e.getValue())) {
        out = new LinkedHashMap<>(data);
      }
      if (out != null) out.put(e.getKey(), masked);
    }
    return out == null ? data : out;
  }
}
