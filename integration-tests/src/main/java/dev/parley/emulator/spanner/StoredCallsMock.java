package dev.parley.emulator.spanner;

import com.google.cloud.spanner.MockSpannerServiceImpl;
import com.google.protobuf.ByteString;
import com.google.protobuf.ListValue;
import com.google.protobuf.Value;
import com.google.spanner.v1.CommitRequest;
import com.google.spanner.v1.ExecuteSqlRequest;
import com.google.spanner.v1.Mutation;
import com.google.spanner.v1.PartialResultSet;
import com.google.spanner.v1.PartitionQueryRequest;
import com.google.spanner.v1.PartitionResponse;
import com.google.spanner.v1.ResultSetMetadata;
import com.google.spanner.v1.StructType;
import com.google.spanner.v1.Type;
import com.google.spanner.v1.TypeCode;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The mock, able to answer a backfill's read of stored call keys ({@code SELECT CallId FROM Calls}, optionally
 * {@code WHERE TenantId = @tenantId}) from the {@code Calls} rows committed so far to the database the session
 * belongs to: what a real database would hold. The mock itself only answers statements registered in advance.
 * A partitioned query gets its rows in its first partition; the other partitions are empty, so no key is read
 * twice.
 */
final class StoredCallsMock extends MockSpannerServiceImpl {
  static final String CALL_KEYS_SQL = "SELECT CallId FROM Calls";

  private final Set<ByteString> firstPartitions = ConcurrentHashMap.newKeySet();
  private final List<ExecuteSqlRequest> keyReads = new ArrayList<>();

  /** Every read of stored call keys, partitions included. */
  List<ExecuteSqlRequest> keyReads() {
    synchronized (keyReads) {
      return List.copyOf(keyReads);
    }
  }

  @Override
  public void partitionQuery(PartitionQueryRequest request, StreamObserver<PartitionResponse> response) {
    if (!request.getSql().startsWith(CALL_KEYS_SQL)) {
      super.partitionQuery(request, response);
      return;
    }
    super.partitionQuery(request, new StreamObserver<>() {
      @Override
      public void onNext(PartitionResponse partitions) {
        if (partitions.getPartitionsCount() > 0) {
          firstPartitions.add(partitions.getPartitions(0).getPartitionToken());
        }
        response.onNext(partitions);
      }

      @Override
      public void onError(Throwable t) {
        response.onError(t);
      }

      @Override
      public void onCompleted() {
        response.onCompleted();
      }
    });
  }

  @Override
  public void executeStreamingSql(ExecuteSqlRequest request, StreamObserver<PartialResultSet> response) {
    if (!request.getSql().startsWith(CALL_KEYS_SQL)) {
      super.executeStreamingSql(request, response);
      return;
    }
    synchronized (keyReads) {
      keyReads.add(request);
    }
    boolean answers = request.getPartitionToken().isEmpty() || firstPartitions.contains(request.getPartitionToken());
    Value tenant = request.getParams().getFieldsMap().get("tenantId");
    PartialResultSet.Builder rows = PartialResultSet.newBuilder().setMetadata(ResultSetMetadata.newBuilder()
        .setRowType(StructType.newBuilder().addFields(StructType.Field.newBuilder().setName("CallId")
            .setType(Type.newBuilder().setCode(TypeCode.STRING)))));
    if (answers) {
      for (String callId : storedCallIds(database(request.getSession()), tenant == null ? null : tenant.getStringValue())) {
        rows.addValues(Value.newBuilder().setStringValue(callId));
      }
    }
    response.onNext(rows.setLast(true).build());
    response.onCompleted();
  }

  private Set<String> storedCallIds(String database, String tenantId) {
    Set<String> ids = new LinkedHashSet<>();
    for (CommitRequest commit : getRequestsOfType(CommitRequest.class)) {
      if (!database(commit.getSession()).equals(database)) {
        continue;
      }
      for (Mutation mutation : commit.getMutationsList()) {
        Mutation.Write write = mutation.hasInsertOrUpdate() ? mutation.getInsertOrUpdate() : mutation.getInsert();
        if (!write.getTable().equals("Calls")) {
          continue;
        }
        int tenantColumn = write.getColumnsList().indexOf("TenantId");
        int callColumn = write.getColumnsList().indexOf("CallId");
        for (ListValue row : write.getValuesList()) {
          if (tenantId == null || row.getValues(tenantColumn).getStringValue().equals(tenantId)) {
            ids.add(row.getValues(callColumn).getStringValue());
          }
        }
      }
    }
    return ids;
  }

  /** {@code projects/P/instances/I/databases/D} of a session name. */
  private static String database(String session) {
    return session.substring(0, session.indexOf("/sessions/"));
  }
}
