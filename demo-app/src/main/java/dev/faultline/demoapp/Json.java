package dev.faultline.demoapp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Map;

/** The API's JSON: items as {@code {"id", "body", "created_at"}}, and any map of values. */
final class Json {
  private final ObjectMapper mapper = new ObjectMapper();

  byte[] bytes(Object value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The body of a new item: a JSON object, re-serialised compactly; anything else is a {@link BadRequest}. */
  String objectBody(byte[] raw) {
    JsonNode node;
    try {
      node = mapper.readTree(raw);
    } catch (JsonProcessingException e) {
      throw new BadRequest("the body is not JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
    if (node == null || !node.isObject()) throw new BadRequest("the body must be a JSON object, e.g. {\"name\": \"apple\"}");
    return node.toString();
  }

  ObjectNode itemNode(ItemDatabase.Item item) {
    ObjectNode n = mapper.createObjectNode();
    n.put("id", item.id());
    try {
      n.set("body", mapper.readTree(item.body()));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    n.put("created_at", item.createdAt());
    return n;
  }

  /** An item as cached: the same JSON as the API returns. */
  String item(ItemDatabase.Item item) {
    return itemNode(item).toString();
  }

  ItemDatabase.Item item(String cached) {
    try {
      JsonNode n = mapper.readTree(cached);
      return new ItemDatabase.Item(n.get("id").asLong(), n.get("body").toString(), n.get("created_at").asText());
    } catch (JsonProcessingException | NullPointerException e) {
      throw new IllegalStateException("a cached item is not what the API writes: " + cached, e);
    }
  }

  static Map<String, Object> error(String message) {
    return Map.of("error", message);
  }
}
