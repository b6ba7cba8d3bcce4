package dev.parley.transforms.replay;

import dev.parley.model.DeadLetter;
import dev.parley.model.ErrorCode;
import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Which dead letters a replay takes: one tenant or all, some error codes (by default those whose
 * {@link ErrorCode#replay()} is {@code BY_DEFAULT}), some stages or all, and a time range {@code [from, to)} on
 * when they failed.
 */
public record ReplaySelection(@Nullable String tenant, Set<String> codes, Set<String> stages, @Nullable Instant from,
    @Nullable Instant to) {

  public ReplaySelection {
    codes = Set.copyOf(codes);
    stages = Set.copyOf(stages);
  }

  /** The codes a replay takes when none is named. */
  public static Set<String> defaultCodes() {
    return Arrays.stream(ErrorCode.values()).filter(c -> c.replay() == ErrorCode.Replay.BY_DEFAULT)
        .map(ErrorCode::name).collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * A selection; empty {@code codes} means {@link #defaultCodes()}, empty {@code stages} every stage. A code that is
   * not an {@link ErrorCode} is refused, so a typo cannot silently select nothing.
   */
  public static ReplaySelection of(@Nullable String tenant, Collection<String> codes, Collection<String> stages,
      @Nullable Instant from, @Nullable Instant to) {
    for (String code : codes) {
      try {
        ErrorCode.valueOf(code);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown error code " + code + "; the codes are "
            + Arrays.toString(ErrorCode.values()), e);
      }
    }
    return new ReplaySelection(tenant, codes.isEmpty() ? defaultCodes() : Set.copyOf(codes), Set.copyOf(stages), from, to);
  }

  public boolean matches(DeadLetter letter) {
    return (tenant == null || tenant.equals(letter.getTenantId()))
        && codes.contains(letter.getErrorCode())
        && (stages.isEmpty() || stages.contains(letter.getStage()))
        && (from == null || !letter.getFailedAt().isBefore(from))
        && (to == null || letter.getFailedAt().isBefore(to));
  }
}
