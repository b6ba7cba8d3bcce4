package dev.parley.transforms.transcribe;

import dev.parley.model.CallRecord;
import dev.parley.model.DeadLetter;
import dev.parley.transforms.metrics.StageMetrics;
import org.checkerframework.checker.nullness.qual.Nullable;

/** What became of one call: a record or a dead letter, and the metrics gathered on the way. */
public record CallOutcome(@Nullable CallRecord record, @Nullable DeadLetter letter, StageMetrics.Deltas metrics) {}
