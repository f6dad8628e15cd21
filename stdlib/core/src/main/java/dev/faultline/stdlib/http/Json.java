package dev.faultline.stdlib.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.value.Values;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON text to playbook values and back. Objects become insertion-ordered maps, arrays lists,
 * whole numbers {@code Long} (a {@code Double} when they do not fit), other numbers {@code Double}.
 * Stateless; the mapper is configured once and only read afterwards, so it is safe to share.
 */
public final class Json {
  /** Rationale: "{} trailing junk" is a broken body, not an empty object. */
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Json() {}

  /** Parses JSON text; throws {@link JsonProcessingException} with Jackson's description of the problem. */
  public static Object parse(String text) throws JsonProcessingException {
    return toValue(MAPPER.readTree(text));
  }

  private static Object toValue(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) return null;
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        map.put(e.getKey(), toValue(e.getValue()));
      }
      return Collections.unmodifiableMap(map);
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>(node.size());
      for (JsonNode item : node) list.add(toValue(item));
      return Collections.unmodifiableList(list);
    }
    if (node.isIntegralNumber()) return node.canConvertToLong() ? (Object) node.longValue() : (Object) node.doubleValue();
    if (node.isNumber()) return node.doubleValue();
    if (node.isBoolean()) return node.booleanValue();
    return node.asText();
  }

  /**
   * Writes playbook values as JSON. Values with units (durations, percentages, sizes, rates) and
   * host values are written as the text a playbook prints for them: {@code "2.5s"}, {@code "30%"}.
   */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(toJackson(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("plain maps, lists and scalars always serialize", e);
    }
  }

  private static Object toJackson(Object value) {
    if (value == null || value instanceof String || value instanceof Boolean || value instanceof Number) return value;
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), toJackson(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object item : list) out.add(toJackson(item));
      return out;
    }
    return Values.show(value);
  }
}
