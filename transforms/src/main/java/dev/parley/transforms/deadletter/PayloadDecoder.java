package dev.parley.transforms.deadletter;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.schemas.SchemaRegistry;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.util.RowJson;
import org.apache.beam.sdk.util.RowJsonUtils;
import org.apache.beam.sdk.values.Row;

/**
 * Reads a dead letter's payload back into the element it was, through the element type's Beam schema: the
 * inverse of {@link PayloadEncoder}, for replay.
 */
public final class PayloadDecoder<T> {
  private final ObjectMapper mapper;
  private final SerializableFunction<Row, T> fromRow;

  private PayloadDecoder(ObjectMapper mapper, SerializableFunction<Row, T> fromRow) {
    this.mapper = mapper;
    this.fromRow = fromRow;
  }

  /** The decoder of a schema'd model type, e.g. {@code AudioArrival}. */
  public static <T> PayloadDecoder<T> forType(Class<T> type) {
    SchemaRegistry registry = SchemaRegistry.createDefault();
    try {
      return new PayloadDecoder<>(
          RowJsonUtils.newObjectMapperWith(RowJson.RowJsonDeserializer.forSchema(registry.getSchema(type))),
          registry.getFromRowFunction(type));
    } catch (NoSuchSchemaException e) {
      throw new IllegalArgumentException(type + " has no Beam schema", e);
    }
  }

  public T decode(String payload) {
    return fromRow.apply(RowJsonUtils.jsonToRow(mapper, payload));
  }
}
