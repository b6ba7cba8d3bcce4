package dev.parley.emulator.spanner;

import com.google.cloud.spanner.Dialect;
import com.google.cloud.spanner.MockSpannerServiceImpl.StatementResult;
import com.google.cloud.spanner.MockSpannerServiceImpl;
import com.google.cloud.spanner.Statement;
import com.google.protobuf.ListValue;
import com.google.protobuf.Value;
import com.google.spanner.admin.instance.v1.GetInstanceRequest;
import com.google.spanner.admin.instance.v1.Instance;
import com.google.spanner.admin.instance.v1.InstanceAdminGrpc;
import com.google.spanner.v1.CommitRequest;
import com.google.spanner.v1.Mutation;
import com.google.spanner.v1.ResultSet;
import com.google.spanner.v1.ResultSetMetadata;
import com.google.spanner.v1.StructType;
import com.google.spanner.v1.Type;
import com.google.spanner.v1.TypeCode;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cloud Spanner on localhost: google-cloud-spanner's own {@link MockSpannerServiceImpl} served over gRPC, for
 * Beam's {@code SpannerIO} with {@code withEmulatorHost(host())}. It knows Parley's schema: the information_schema
 * queries SpannerIO issues before batching are answered from the DDL files that ship in the transforms jar, so
 * the writes are batched as against a real database, and a column the DDL lacks is caught ({@link #unknownColumns}).
 */
public final class SpannerStandIn implements AutoCloseable {
  /** Parley's schema versions, in order; the same files templates/spanner-schema.sh applies. */
  public static final List<String> DDL = List.of("dev/parley/spanner/V1__calls.sql", "dev/parley/spanner/V2__calendar.sql");

  // The exact statements of Beam 2.73's ReadSpannerSchema (GoogleSQL): the mock matches SQL text.
  private static final String COLUMNS_SQL = "SELECT"
      + "    c.table_name"
      + "  , c.column_name"
      + "  , c.spanner_type"
      + "  , (1 + COALESCE(t.indices, 0)) AS cells_mutated"
      + "  FROM ("
      + "    SELECT c.table_name, c.column_name, c.spanner_type, c.ordinal_position"
      + "     FROM information_schema.columns as c"
      + "     WHERE c.table_catalog = '' AND c.table_schema = '') AS c"
      + "  LEFT OUTER JOIN ("
      + "    SELECT t.table_name, t.column_name, COUNT(*) AS indices"
      + "      FROM information_schema.index_columns AS t "
      + "      WHERE t.index_name != 'PRIMARY_KEY' AND t.table_catalog = ''"
      + "      AND t.table_schema = ''"
      + "      GROUP BY t.table_name, t.column_name) AS t"
      + "  USING (table_name, column_name)"
      + "  ORDER BY c.table_name, c.ordinal_position";
  private static final String PRIMARY_KEYS_SQL = "SELECT t.table_name, t.column_name, t.column_ordering"
      + " FROM information_schema.index_columns AS t "
      + " WHERE t.index_name = 'PRIMARY_KEY' AND t.table_catalog = ''"
      + " AND t.table_schema = ''"
      + " ORDER BY t.table_name, t.ordinal_position";

  private static final Pattern TABLE = Pattern.compile(
      "CREATE TABLE(?: IF NOT EXISTS)? (\\w+) \\((.*?)\\n\\) PRIMARY KEY \\(([^)]*)\\)", Pattern.DOTALL);
  private static final Pattern COLUMN = Pattern.compile("^\\s*(\\w+) ((?:ARRAY<)?\\w+(?:\\((?:MAX|\\d+)\\))?>?)");

  private final MockSpannerServiceImpl mock = new MockSpannerServiceImpl();
  private final CommitFaults commitFaults = new CommitFaults();
  private final Server server;
  private final Map<String, List<String[]>> schema;

  private SpannerStandIn() throws IOException {
    mock.setAbortProbability(0.0);
    schema = parseDdl();
    registerSchemaQueries();
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerInterceptors.intercept(mock, commitFaults))
        .addService(new InstanceAdmin()).build().start();
  }

  public static SpannerStandIn start() throws IOException {
    return new SpannerStandIn();
  }

  /** {@code 127.0.0.1:PORT}, for {@code withEmulatorHost}. */
  public String host() {
    return "127.0.0.1:" + server.getPort();
  }

  /** The mock itself: its requests, and faults ({@code setCommitExecutionTime}). */
  public MockSpannerServiceImpl mock() {
    return mock;
  }

  /** From now on, refuses these shares of commits with ABORTED and with UNAVAILABLE, before they take effect. */
  public void failCommits(double abortedRate, double unavailableRate) {
    commitFaults.rates(abortedRate, unavailableRate);
  }

  /** Commits refused by {@link #failCommits}: {@code {ABORTED, UNAVAILABLE}}. */
  public long[] commitsRefused() {
    return new long[] {commitFaults.aborted(), commitFaults.unavailable()};
  }

  /** Every commit that took effect (or that the mock's own faults refused). */
  public List<CommitRequest> commits() {
    return mock.getRequestsOfType(CommitRequest.class);
  }

  /** Rows written per table: {@code InsertOrUpdate} values summed over every commit (rows merge per table). */
  public Map<String, Integer> rowsWritten() {
    Map<String, Integer> rows = new LinkedHashMap<>();
    for (CommitRequest commit : commits()) {
      for (Mutation mutation : commit.getMutationsList()) {
        if (mutation.hasInsertOrUpdate()) {
          rows.merge(mutation.getInsertOrUpdate().getTable(), mutation.getInsertOrUpdate().getValuesCount(),
              Integer::sum);
        }
      }
    }
    return rows;
  }

  /** {@code table.column} names written in any commit that the DDL does not define. */
  public List<String> unknownColumns() {
    List<String> unknown = new ArrayList<>();
    for (CommitRequest commit : commits()) {
      for (Mutation mutation : commit.getMutationsList()) {
        if (mutation.hasInsertOrUpdate()) {
          Mutation.Write write = mutation.getInsertOrUpdate();
          List<String> known = schema.getOrDefault(write.getTable(), List.of()).stream().map(c -> c[0]).toList();
          write.getColumnsList().stream().filter(c -> !known.contains(c))
              .map(c -> write.getTable() + "." + c).filter(c -> !unknown.contains(c)).forEach(unknown::add);
        }
      }
    }
    return unknown;
  }

  /** Forgets requests and faults; the schema answers stay. */
  public void reset() {
    mock.reset();
    mock.removeAllExecutionTimes();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  /** Table name to its columns {name, type} and, after them, its key columns {name, "KEY"}. */
  private static Map<String, List<String[]>> parseDdl() {
    Map<String, List<String[]>> tables = new LinkedHashMap<>();
    for (String resource : DDL) {
      Matcher table = TABLE.matcher(read(resource));
      while (table.find()) {
        List<String[]> columns = new ArrayList<>();
        for (String line : table.group(2).split("\n")) {
          Matcher column = COLUMN.matcher(line);
          if (!line.strip().startsWith("--") && column.find()) {
            columns.add(new String[] {column.group(1), column.group(2)});
          }
        }
        for (String key : table.group(3).split(",")) {
          columns.add(new String[] {key.strip(), "KEY"});
        }
        tables.put(table.group(1), columns);
      }
    }
    return tables;
  }

  private void registerSchemaQueries() {
    List<ListValue> columns = new ArrayList<>();
    List<ListValue> keys = new ArrayList<>();
    schema.keySet().stream().sorted().forEach(table -> {
      for (String[] column : schema.get(table)) {
        if (column[1].equals("KEY")) {
          keys.add(row(table, column[0], "ASC"));
        } else {
          columns.add(row(table, column[0], column[1], "1"));
        }
      }
    });
    mock.putStatementResult(StatementResult.detectDialectResult(Dialect.GOOGLE_STANDARD_SQL));
    mock.putStatementResult(StatementResult.query(Statement.of(COLUMNS_SQL),
        resultSet(List.of("table_name", "column_name", "spanner_type", "cells_mutated"), columns, 3)));
    mock.putStatementResult(StatementResult.query(Statement.of(PRIMARY_KEYS_SQL),
        resultSet(List.of("table_name", "column_name", "column_ordering"), keys, -1)));
  }

  private static ListValue row(String... values) {
    ListValue.Builder row = ListValue.newBuilder();
    for (String value : values) {
      row.addValues(Value.newBuilder().setStringValue(value));
    }
    return row.build();
  }

  /** A result set of STRING columns, except {@code int64Column} (INT64 travels as a string too). */
  private static ResultSet resultSet(List<String> names, List<ListValue> rows, int int64Column) {
    StructType.Builder type = StructType.newBuilder();
    for (int i = 0; i < names.size(); i++) {
      type.addFields(StructType.Field.newBuilder().setName(names.get(i))
          .setType(Type.newBuilder().setCode(i == int64Column ? TypeCode.INT64 : TypeCode.STRING)));
    }
    return ResultSet.newBuilder().setMetadata(ResultSetMetadata.newBuilder().setRowType(type)).addAllRows(rows).build();
  }

  /** Answers SpannerIO's lookup of the instance's configuration (it only labels metrics with it). */
  private static final class InstanceAdmin extends InstanceAdminGrpc.InstanceAdminImplBase {
    @Override
    public void getInstance(GetInstanceRequest request, StreamObserver<Instance> response) {
      response.onNext(Instance.newBuilder().setName(request.getName())
          .setConfig(request.getName().replaceFirst("/instances/.*", "/instanceConfigs/regional-local")).build());
      response.onCompleted();
    }
  }

  private static String read(String resource) {
    try (InputStream in = SpannerStandIn.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("schema file not on the classpath: " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
