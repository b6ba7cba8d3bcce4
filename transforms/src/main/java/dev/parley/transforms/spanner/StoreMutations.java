package dev.parley.transforms.spanner;

import com.google.cloud.Date;
import com.google.cloud.Timestamp;
import com.google.cloud.spanner.Key;
import com.google.cloud.spanner.KeyRange;
import com.google.cloud.spanner.KeySet;
import com.google.cloud.spanner.Mutation;
import com.google.cloud.spanner.ValueBinder;
import dev.parley.model.CallRecord;
import dev.parley.model.CrmSync;
import dev.parley.transforms.store.CallRows;
import dev.parley.transforms.store.StoreRow;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.gcp.spanner.MutationGroup;
import org.joda.time.Instant;

/**
 * The Spanner mutations of Parley's rows ({@link CallRows}): {@code InsertOrUpdate} on the tables' keys, so a
 * redelivered call rewrites the same rows and nothing is written twice.
 *
 * <p>A call becomes one mutation group (one commit), unless its transcript is so long that the group would pass
 * {@link #MAX_CELLS_PER_GROUP} mutated cells or {@link #MAX_BYTES_PER_GROUP} bytes: Spanner allows 80,000
 * mutations and 100 MB per commit. Then the segments are spread over several groups, each of which repeats
 * the {@code Calls} row, since an interleaved row needs its parent row in the same commit or before it.
 */
public final class StoreMutations {
  static final int MAX_CELLS_PER_GROUP = 20_000;
  static final long MAX_BYTES_PER_GROUP = 8L << 20;

  private StoreMutations() {}

  public static List<MutationGroup> forCall(CallRecord record) {
    Mutation call = upsert(CallRows.call(record));
    List<StoreRow> segments = CallRows.segments(record);
    List<MutationGroup> groups = new ArrayList<>();
    List<Mutation> current = new ArrayList<>(List.of(upsert(CallRows.usage(record)),
        staleRows(CallRows.SEGMENTS, record, segments.size())));
    current.addAll(calendar(record));
    long cells = cellsOf(call) + current.stream().mapToLong(StoreMutations::cellsOf).sum();
    long bytes = 0;
    for (StoreRow segment : segments) {
      Mutation mutation = upsert(segment);
      long segmentBytes = bytesOf(segment);
      if (!current.isEmpty() && (cells + cellsOf(mutation) > MAX_CELLS_PER_GROUP || bytes + segmentBytes > MAX_BYTES_PER_GROUP)) {
        groups.add(MutationGroup.create(call, current));
        current = new ArrayList<>();
        cells = cellsOf(call);
        bytes = 0;
      }
      current.add(mutation);
      cells += cellsOf(mutation);
      bytes += segmentBytes;
    }
    groups.add(MutationGroup.create(call, current));
    return groups;
  }

  public static List<MutationGroup> forCrmSync(CrmSync sync) {
    return List.of(MutationGroup.create(upsert(CallRows.crmSync(sync))));
  }

  /** The call's meeting and its attendees, in the call's first commit (they are a few rows). */
  private static List<Mutation> calendar(CallRecord record) {
    List<Mutation> mutations = new ArrayList<>();
    for (StoreRow match : CallRows.calendarMatch(record)) {
      List<StoreRow> attendees = CallRows.calendarAttendees(record);
      mutations.add(upsert(match));
      mutations.add(staleRows(CallRows.CALENDAR_ATTENDEES, record, attendees.size()));
      attendees.forEach(attendee -> mutations.add(upsert(attendee)));
    }
    return mutations;
  }

  /**
   * Removes the call's rows of {@code table} (keyed by the call and an index) from index {@code count} on: left over
   * when a redelivered call has fewer (a transcript in fewer segments, a meeting with fewer attendees). Only rows
   * past the new ones, so it never races with a group that writes them.
   */
  private static Mutation staleRows(String table, CallRecord record, long count) {
    Key prefix = Key.of(record.getTenantId(), record.getCallId());
    Key from = Key.of(record.getTenantId(), record.getCallId(), count);
    return Mutation.delete(table, KeySet.range(KeyRange.closedClosed(from, prefix)));
  }

  /** An {@code InsertOrUpdate} of every column of the row, nulls included, so a rewrite leaves nothing stale. */
  public static Mutation upsert(StoreRow row) {
    Mutation.WriteBuilder builder = Mutation.newInsertOrUpdateBuilder(row.table());
    for (Map.Entry<String, Object> column : row.columns().entrySet()) {
      bind(builder.set(column.getKey()), column.getValue());
    }
    return builder.build();
  }

  @SuppressWarnings("unchecked")
  private static void bind(ValueBinder<Mutation.WriteBuilder> binder, Object value) {
    Object v = value;
    Class<?> type = value.getClass();
    if (value instanceof StoreRow.Null typedNull) {
      v = null;
      type = typedNull.type();
    }
    if (type == String.class) {
      binder.to((String) v);
    } else if (type == Long.class) {
      binder.to((Long) v);
    } else if (type == Double.class) {
      binder.to((Double) v);
    } else if (type == Boolean.class) {
      binder.to((Boolean) v);
    } else if (type == Instant.class) {
      binder.to(v == null ? null : Timestamp.ofTimeMicroseconds(((Instant) v).getMillis() * 1000));
    } else if (type == LocalDate.class) {
      LocalDate date = (LocalDate) v;
      binder.to(date == null ? null : Date.fromYearMonthDay(date.getYear(), date.getMonthValue(), date.getDayOfMonth()));
    } else if (List.class.isAssignableFrom(type)) {
      binder.toStringArray((List<String>) v);
    } else {
      throw new IllegalArgumentException("no Spanner type for " + type.getSimpleName());
    }
  }

  private static long cellsOf(Mutation mutation) {
    return mutation.getOperation() == Mutation.Op.DELETE ? 1 : mutation.asMap().size();
  }

  private static long bytesOf(StoreRow row) {
    Object text = row.value("Text");
    return 64 + (text == null ? 0 : 3L * ((String) text).length());
  }
}
