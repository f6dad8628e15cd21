package dev.faultline.fault;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One fault as the journal keeps it: who injected it (run and process), what it is, how far it got
 * ({@link State}), and its {@link Fault#undoRecord()}. Immutable.
 *
 * <p>On disk a record is a header line and a JSON object:
 * <pre>
 * faultline-journal 1 sha256=3f1c… bytes=412
 * {
 *   "run" : "20261123-030320-4242-9f3ab1c2",
 *   …
 * }
 * </pre>
 * The header gives the length and SHA-256 of the JSON text that follows. Rationale: a record is
 * acted on by another process, perhaps after a crash of the disk's own; a truncated or damaged
 * record must be recognised as such and never used to "restore" a file with damaged content.
 *
 * @param run the id of the run that injected the fault
 * @param process the process of that run
 * @param fault the fault's number in its run
 * @param kind the fault's {@link Fault#kind()}, which picks its {@link FaultRecoverer}
 * @param target what the fault acts on; empty when not known
 * @param description what the fault does
 * @param state how far the fault got
 * @param written when this version of the record was written
 * @param error why the last revert failed; empty otherwise
 * @param undo what a recoverer needs to undo the fault; empty for an in-process fault
 */
public record JournalRecord(
    String run, ProcessIdentity process, long fault, String kind, String target, String description,
    State state, Instant written, String error, Map<String, Object> undo) {

  /** The first word of every record file. */
  static final String MAGIC = "faultline-journal";
  static final int FORMAT = 1;

  /** How far a fault got; the record is deleted once its revert succeeded. */
  public enum State {
    /** Written before {@code inject} was called: the fault may or may not be in place. */
    INTENT,
    /** {@code inject} returned: the fault is in place. */
    INJECTED,
    /** {@code inject} threw or was interrupted: it may have done its work, so it is reverted anyway. */
    MAYBE_INJECTED,
    /** Every revert attempt failed: the fault may still be in place. */
    REVERT_FAILED;

    /** {@return the state as the record file writes it}: {@code maybe-injected} */
    public String word() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static State parse(String word) {
      for (State s : values()) {
        if (s.word().equals(word)) return s;
      }
      throw new IllegalArgumentException("unknown state '" + word + "'");
    }
  }

  /** A record file that cannot be used: truncated, damaged, or not a record at all. */
  public static final class Unreadable extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * An unreadable record.
     *
     * @param message what is wrong with it ({@code "truncated: 212 of 412 bytes"})
     */
    public Unreadable(String message) {
      super(message);
    }
  }

  /**
   * Null texts become empty; {@code undo} is copied.
   *
   * @param run the id of the run that injected the fault
   * @param process the process of that run
   * @param fault the fault's number in its run
   * @param kind the fault's {@link Fault#kind()}, which picks its {@link FaultRecoverer}
   * @param target what the fault acts on; empty when not known
   * @param description what the fault does
   * @param state how far the fault got
   * @param written when this version of the record was written
   * @param error why the last revert failed; empty otherwise
   * @param undo what a recoverer needs to undo the fault; empty for an in-process fault
   */
  public JournalRecord {
    target = target == null ? "" : target;
    description = description == null ? "" : description;
    error = error == null ? "" : error;
    undo = Collections.unmodifiableMap(new LinkedHashMap<>(undo));
  }

  /**
   * {@return this record in another state, written now}
   *
   * @param newState how far the fault got now
   * @param why the error that led there; empty when none
   */
  public JournalRecord withState(State newState, String why) {
    return new JournalRecord(run, process, fault, kind, target, description, newState, Instant.now(), why, undo);
  }

  /** {@return whether the fault can only be undone by the process that injected it} (its undo record is empty) */
  public boolean inProcess() {
    return undo.isEmpty();
  }

  // ------------------------------------------------------------ encoding

  private static final JsonFactory JSON = JsonFactory.builder().build();

  /**
   * {@return the bytes of the record file}: header line, JSON, final newline
   *
   * @throws IllegalArgumentException when the undo record holds a value JSON cannot keep
   */
  public byte[] encode() {
    ByteArrayOutputStream body = new ByteArrayOutputStream(512);
    try (JsonGenerator g = JSON.createGenerator(body)) {
      DefaultPrettyPrinter pretty = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
      g.setPrettyPrinter(pretty);
      g.writeStartObject();
      g.writeNumberField("format", FORMAT);
      g.writeStringField("run", run);
      g.writeNumberField("pid", process.pid());
      g.writeStringField("process_start", process.start());
      g.writeStringField("boot_id", process.boot());
      g.writeNumberField("fault", fault);
      g.writeStringField("kind", kind);
      g.writeStringField("target", target);
      g.writeStringField("description", description);
      g.writeStringField("state", state.word());
      g.writeStringField("written", written.toString());
      if (!error.isEmpty()) g.writeStringField("error", error);
      g.writeFieldName("undo");
      writeValue(g, undo, "undo");
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("cannot write JSON to memory", e);
    }
    byte[] json = body.toByteArray();
    String header = MAGIC + " " + FORMAT + " sha256=" + sha256(json) + " bytes=" + json.length + "\n";
    byte[] head = header.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[head.length + json.length + 1];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(json, 0, out, head.length, json.length);
    out[out.length - 1] = '\n';
    return out;
  }

  /**
   * Writes an undo record value. Rationale: only plain data survives a crash and a restart in
   * another process; anything else is refused when the intent is written, before injecting.
   */
  private static void writeValue(JsonGenerator g, Object v, String path) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      g.writeNumber(((Number) v).longValue());
    } else if (v instanceof BigInteger b) {
      g.writeNumber(b);
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) throw new IllegalArgumentException(path + " is " + d + ", which JSON cannot hold");
      g.writeNumber(d);
    } else if (v instanceof BigDecimal b) {
      g.writeNumber(b);
    } else if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getKey() instanceof String k)) throw new IllegalArgumentException(path + " has a key that is not a string: " + e.getKey());
        g.writeFieldName(k);
        writeValue(g, e.getValue(), path + "." + k);
      }
      g.writeEndObject();
    } else if (v instanceof List<?> l) {
      g.writeStartArray();
      for (int i = 0; i < l.size(); i++) writeValue(g, l.get(i), path + "[" + i + "]");
      g.writeEndArray();
    } else {
      throw new IllegalArgumentException(path + " holds a " + v.getClass().getName()
          + "; an undo record may hold only strings, numbers, booleans, null, lists and maps");
    }
  }

  // ------------------------------------------------------------ decoding

  /**
   * Reads a record file's bytes back.
   *
   * @param bytes the file's content
   * @return the record
   * @throws Unreadable saying what is wrong with them: empty, truncated, damaged, not a record
   */
  public static JournalRecord decode(byte[] bytes) throws Unreadable {
    if (bytes.length == 0) throw new Unreadable("empty file");
    int nl = indexOf(bytes, (byte) '\n');
    if (nl < 0) {
      boolean ours = new String(bytes, 0, Math.min(bytes.length, MAGIC.length()), StandardCharsets.US_ASCII).equals(MAGIC);
      throw new Unreadable(ours ? "truncated: no complete header line"
          : "not a journal record: the first line is not a '" + MAGIC + "' header");
    }
    String header = new String(bytes, 0, nl, StandardCharsets.US_ASCII);
    String[] words = header.split(" ");
    if (words.length != 4 || !words[0].equals(MAGIC) || !words[2].startsWith("sha256=") || !words[3].startsWith("bytes=")) {
      throw new Unreadable("not a journal record: the first line is not a '" + MAGIC + "' header");
    }
    if (!words[1].equals(Integer.toString(FORMAT))) {
      throw new Unreadable("written in journal format " + words[1] + ", this faultline reads format " + FORMAT);
    }
    int length;
    try {
      length = Integer.parseInt(words[3].substring(6));
    } catch (NumberFormatException e) {
      throw new Unreadable("damaged header: bad length '" + words[3] + "'");
    }
    int available = bytes.length - nl - 1;
    if (available < length) {
      throw new Unreadable("truncated: the header announces " + length + " bytes of JSON, the file holds " + Math.max(0, available));
    }
    byte[] json = java.util.Arrays.copyOfRange(bytes, nl + 1, nl + 1 + length);
    if (!sha256(json).equals(words[2].substring(7))) {
      throw new Unreadable("damaged: the content does not match the checksum in its header");
    }
    Map<String, Object> m;
    try (JsonParser p = JSON.createParser(json)) {
      JsonToken t = p.nextToken();
      if (t != JsonToken.START_OBJECT) throw new Unreadable("not a JSON object");
      @SuppressWarnings("unchecked")
      Map<String, Object> read = (Map<String, Object>) readValue(p);
      m = read;
    } catch (JsonProcessingException e) {
      throw new Unreadable("bad JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new Unreadable("bad JSON: " + e.getMessage());
    }
    try {
      Object undo = m.get("undo");
      if (!(undo instanceof Map<?, ?>)) throw new Unreadable("missing field 'undo'");
      @SuppressWarnings("unchecked")
      Map<String, Object> undoMap = (Map<String, Object>) undo;
      return new JournalRecord(
          text(m, "run"),
          new ProcessIdentity(number(m, "pid"), text(m, "process_start"), text(m, "boot_id")),
          number(m, "fault"),
          text(m, "kind"),
          optionalText(m, "target"),
          optionalText(m, "description"),
          State.parse(text(m, "state")),
          Instant.parse(text(m, "written")),
          optionalText(m, "error"),
          undoMap);
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new Unreadable("bad field: " + e.getMessage());
    }
  }

  /** A JSON object as maps, lists, strings, longs, doubles and booleans (the lock file's content). */
  static Map<String, Object> parseObject(byte[] json) throws IOException {
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("not a JSON object");
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) readValue(p);
      return m;
    }
  }

  private static Object readValue(JsonParser p) throws IOException {
    switch (p.currentToken()) {
      case START_OBJECT: {
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          m.put(name, readValue(p));
        }
        return m;
      }
      case START_ARRAY: {
        List<Object> l = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) l.add(readValue(p));
        return l;
      }
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue() : (Object) p.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new IOException("unexpected " + p.currentToken());
    }
  }

  private static String text(Map<String, Object> m, String key) throws Unreadable {
    Object v = m.get(key);
    if (!(v instanceof String s)) throw new Unreadable("missing field '" + key + "'");
    return s;
  }

  private static String optionalText(Map<String, Object> m, String key) {
    return m.get(key) instanceof String s ? s : "";
  }

  private static long number(Map<String, Object> m, String key) throws Unreadable {
    if (!(m.get(key) instanceof Long l)) throw new Unreadable("missing field '" + key + "'");
    return l;
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) return i;
    }
    return -1;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
