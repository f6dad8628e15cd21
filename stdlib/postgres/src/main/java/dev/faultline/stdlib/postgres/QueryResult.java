package dev.faultline.stdlib.postgres;

import dev.faultline.host.Effect;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.value.HostValue;
import dev.faultline.value.Values;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one SQL probe saw: the rows, or why there were none. Immutable.
 *
 * <p>A query that failed (refused, timed out, an SQL error) is still a result, with {@code ok}
 * false and {@code error} saying why. Rationale: probes are read in {@code await} conditions while
 * a database fails over, where "not answering yet" is an answer, not a failure of the step.
 */
@HostType(name = "query_result", doc = "The result of a SQL probe: rows, latency, or the error.")
public final class QueryResult implements HostValue {
  /** Rows kept at most; a probe is not a data export. */
  static final int MAX_ROWS = 10_000;

  private final String sql;
  private final List<Map<String, Object>> rows;
  private final Duration latency;
  private final String error;
  private final String sqlState;

  private QueryResult(String sql, List<Map<String, Object>> rows, Duration latency, String error, String sqlState) {
    this.sql = sql;
    this.rows = rows;
    this.latency = latency;
    this.error = error;
    this.sqlState = sqlState;
  }

  static QueryResult of(String sql, ResultSet rs, Duration latency) throws SQLException {
    List<Map<String, Object>> rows = new ArrayList<>();
    if (rs != null) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next() && rows.size() < MAX_ROWS) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) row.put(md.getColumnLabel(i), value(rs.getObject(i)));
        rows.add(Collections.unmodifiableMap(row));
      }
    }
    return new QueryResult(sql, Collections.unmodifiableList(rows), latency, "", "");
  }

  static QueryResult updated(String sql, long count, Duration latency) {
    return new QueryResult(sql, List.of(Map.of("updated", count)), latency, "", "");
  }

  static QueryResult failure(String sql, Duration latency, String error, String sqlState) {
    return new QueryResult(sql, List.of(), latency, error, sqlState == null ? "" : sqlState);
  }

  /** JDBC values as playbook values: whole numbers as numbers, decimals as numbers, the rest as text. */
  static Object value(Object v) {
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Double) return v;
    if (v instanceof Integer || v instanceof Short) return ((Number) v).longValue();
    if (v instanceof Float f) return f.doubleValue();
    if (v instanceof BigDecimal d) {
      try {
        return d.longValueExact();
      } catch (ArithmeticException e) {
        return d.doubleValue();
      }
    }
    return v.toString();
  }

  @HostFunction(name = "ok", effect = Effect.PURE, doc = "Whether the query ran without an error.")
  public boolean ok() {
    return error.isEmpty();
  }

  @HostFunction(name = "error", effect = Effect.PURE, doc = "Why the query failed (the driver's message); empty when it ran.")
  public String error() {
    return error;
  }

  @HostFunction(name = "sqlstate", effect = Effect.PURE, doc = "The SQLSTATE of the failure (08001: cannot connect,"
      + " 08006: connection lost, 57014: cancelled, 55P03: lock not available, 53300: too many connections); empty when it ran.")
  public String sqlstate() {
    return sqlState;
  }

  @HostFunction(name = "rows", effect = Effect.PURE, doc = "The rows, each a map from column name to value (at most 10,000).")
  public List<Map<String, Object>> rows() {
    return rows;
  }

  @HostFunction(name = "count", effect = Effect.PURE, doc = "How many rows came back (for an update: 1 row, 'updated').")
  public long count() {
    return rows.size();
  }

  /*
   * Rationale: null rather than an error when there is no row, so that a condition such as
   * `await replica.db.query("select count(*) from t").value == 2 within 10s` keeps polling while the
   * table does not exist yet; null equals nothing but null, so no check passes by accident.
   */
  @HostFunction(name = "value", effect = Effect.PURE, doc = "The first column of the first row:"
      + " `db.query(\"select count(*) from t\").value`; null when the query failed or returned no rows.")
  public Object value() {
    if (!ok() || rows.isEmpty()) return null;
    return rows.get(0).values().iterator().next();
  }

  @HostFunction(name = "latency", effect = Effect.PURE, doc = "From sending the statement to the last row read (or the failure); when no"
      + " connection could be had, the time spent waiting for one.")
  public Duration latency() {
    return latency;
  }

  @HostFunction(name = "sql", effect = Effect.PURE, doc = "The statement that ran.")
  public String sql() {
    return sql;
  }

  @Override
  public String show() {
    String outcome = ok() ? rows.size() + " row" + (rows.size() == 1 ? "" : "s") : "failed (" + error + ")";
    return "query_result " + outcome + " in " + Values.show(latency);
  }

  @Override
  public String toString() {
    return show();
  }
}
