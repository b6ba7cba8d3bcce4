package dev.parley.transforms.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * One row of a Parley table, with typed values: rendered as a JSON Lines row by the local store and as a Spanner
 * mutation by the Spanner sink, so that both hold exactly the same tables. A null keeps its column's type
 * ({@link Null}), since Spanner needs the type of a null it writes.
 */
public record StoreRow(String table, Map<String, Object> columns) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A null value of a column of type {@code type}. */
  public record Null(Class<?> type) {}

  public StoreRow {
    columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
  }

  public static Builder in(String table) {
    return new Builder(table);
  }

  public @Nullable Object value(String column) {
    Object value = columns.get(column);
    return value instanceof Null ? null : value;
  }

  /** The row as JSON: timestamps in ISO-8601, dates as {@code yyyy-MM-dd}. */
  public ObjectNode toJson() {
    ObjectNode row = JSON.createObjectNode();
    columns.forEach((column, value) -> {
      if (value instanceof Null) {
        row.putNull(column);
      } else if (value instanceof String s) {
        row.put(column, s);
      } else if (value instanceof Long l) {
        row.put(column, l);
      } else if (value instanceof Double d) {
        row.put(column, d);
      } else if (value instanceof Boolean b) {
        row.put(column, b);
      } else if (value instanceof List<?> list) {
        ArrayNode array = row.putArray(column);
        list.forEach(item -> array.add(String.valueOf(item)));
      } else {
        row.put(column, value.toString()); // Instant and LocalDate print in ISO-8601.
      }
    });
    return row;
  }

  /** Typed setters: the column types of the Spanner schema (STRING, INT64, FLOAT64, BOOL, TIMESTAMP, DATE, ARRAY). */
  public static final class Builder {
    private final String table;
    private final Map<String, Object> columns = new LinkedHashMap<>();

    private Builder(String table) {
      this.table = table;
    }

    public Builder set(String column, @Nullable String value) {
      return put(column, value, String.class);
    }

    public Builder set(String column, @Nullable Long value) {
      return put(column, value, Long.class);
    }

    public Builder set(String column, long value) {
      return put(column, value, Long.class);
    }

    public Builder set(String column, @Nullable Double value) {
      return put(column, value, Double.class);
    }

    public Builder set(String column, boolean value) {
      return put(column, value, Boolean.class);
    }

    public Builder set(String column, @Nullable Instant value) {
      return put(column, value, Instant.class);
    }

    public Builder set(String column, @Nullable LocalDate value) {
      return put(column, value, LocalDate.class);
    }

    public Builder setStrings(String column, @Nullable List<String> value) {
      return put(column, value == null ? null : List.copyOf(value), List.class);
    }

    private Builder put(String column, @Nullable Object value, Class<?> type) {
      columns.put(column, value == null ? new Null(type) : value);
      return this;
    }

    public StoreRow build() {
      return new StoreRow(table, columns);
    }
  }
}
