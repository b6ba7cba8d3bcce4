package dev.parley.transforms.deadletter;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.util.RowJson;
import org.apache.beam.sdk.util.RowJsonUtils;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * Turns a stage's input element into the JSON kept in a dead letter, through the element's Beam schema, so
 * that replay can parse it back with the same schema ({@code JsonToRow}).
 */
public final class PayloadEncoder<T> implements Serializable {
  private final Schema schema;
  private final SerializableFunction<T, Row> toRow;
  private final String typeName;
  private transient ObjectMapper mapper;

  private PayloadEncoder(Schema schema, SerializableFunction<T, Row> toRow, String typeName) {
    this.schema = schema;
    this.toRow = toRow;
    this.typeName = typeName;
  }

  /** The encoder for a schema'd collection's elements; call in {@code expand()}. */
  public static <T> PayloadEncoder<T> of(PCollection<T> input) {
    Class<?> type = input.getTypeDescriptor() == null ? Object.class : input.getTypeDescriptor().getRawType();
    // Create.of infers the generated AutoValue_ class; the dead letter names the model type.
    String name = type.getSimpleName().replaceFirst("^AutoValue_", "");
    return new PayloadEncoder<>(input.getSchema(), input.getToRowFunction(), name);
  }

  /** The encoder for elements of a schema'd type that is not the stage's input; call in {@code expand()}. */
  public static <T> PayloadEncoder<T> forType(org.apache.beam.sdk.schemas.SchemaRegistry registry, Class<T> type)
      throws org.apache.beam.sdk.schemas.NoSuchSchemaException {
    return new PayloadEncoder<>(registry.getSchema(type), registry.getToRowFunction(type), type.getSimpleName());
  }

  public String typeName() {
    return typeName;
  }

  public String encode(T element) {
    if (mapper == null) {
      mapper = RowJsonUtils.newObjectMapperWith(RowJson.RowJsonSerializer.forSchema(schema));
    }
    return RowJsonUtils.rowToJson(mapper, toRow.apply(element));
  }
}
