package dev.parley.transforms.backfill;

import java.io.Serializable;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Which recordings a backfill takes by time: {@code [from, to)} on the object's modification time, or on the date
 * of the folders it sits in ({@code .../2026/11/25/...} or {@code .../2026-11-25/...}), whichever the operator
 * picks; either end may be open.
 */
public final class TimeRange implements Serializable {
  /** What a recording's time is. */
  public enum Basis {
    /** The object's modification (upload) time. */
    OBJECT_TIME,
    /** The date in the recording's folder names, at 00:00 UTC; recordings without one are not taken. */
    PATH_DATE
  }

  private static final Pattern DATE = Pattern.compile("/(\\d{4})[/-](\\d{2})[/-](\\d{2})(?:/|$)");
  private final @Nullable Instant from;
  private final @Nullable Instant to;
  private final Basis basis;

  private TimeRange(@Nullable Instant from, @Nullable Instant to, Basis basis) {
    this.from = from;
    this.to = to;
    this.basis = basis;
  }

  public static TimeRange of(@Nullable String from, @Nullable String to, Basis basis) {
    return new TimeRange(parseTime(from), parseTime(to), basis);
  }

  public boolean contains(MatchResult.Metadata file) {
    Optional<Instant> time = basis == Basis.OBJECT_TIME
        ? Optional.of(new Instant(file.lastModifiedMillis()))
        : pathDate(file.resourceId().toString());
    return time.isPresent() && (from == null || !time.get().isBefore(from)) && (to == null || time.get().isBefore(to));
  }

  static Optional<Instant> pathDate(String path) {
    Matcher m = DATE.matcher(path);
    Instant found = null;
    while (m.find()) {
      try {
        LocalDate date = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        found = new Instant(date.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
      } catch (java.time.DateTimeException e) {
        // Digits that are not a date: not a date folder.
      }
    }
    return Optional.ofNullable(found);
  }

  /**
   * An ISO-8601 instant or date, or {@code today} / {@code yesterday} (00:00 UTC of that day, at launch): a scheduled
   * launch's body is fixed, so a nightly backfill names its range relative to when it runs.
   */
  public static @Nullable Instant parseTime(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    switch (value.strip()) {
      case "today":
        return startOf(today);
      case "yesterday":
        return startOf(today.minusDays(1));
      default:
        break;
    }
    try {
      return new Instant(java.time.Instant.parse(value).toEpochMilli());
    } catch (java.time.format.DateTimeParseException e) {
      return startOf(LocalDate.parse(value));
    }
  }

  private static Instant startOf(LocalDate day) {
    return new Instant(day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
  }
}
