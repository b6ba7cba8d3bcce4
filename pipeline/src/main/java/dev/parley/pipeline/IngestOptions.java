package dev.parley.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * Options of {@link IngestPipeline}. Each front door is on when its option is given: {@code --dropFolder} (one
 * pass, or watched with {@code --watch}) and {@code --subscription}; both may be on at once, and a recording that
 * arrives through both is one call.
 */
public interface IngestOptions extends ParleyOptions, SinkOptions {
  @Description("Drop folder whose {tenantId}/ subfolders receive recordings, local or gs://. Every recording "
      + "under {dropFolder}/{tenantId}/ belongs to that tenant. Example: gs://parley-drop/ or /data/drop")
  String getDropFolder();

  void setDropFolder(String value);

  @Description("Keep watching the drop folder (a streaming job) instead of one pass over it.")
  @Default.Boolean(false)
  boolean getWatch();

  void setWatch(boolean value);

  @Description("With --watch: seconds between listings of the drop folder.")
  @Default.Integer(10)
  int getPollIntervalSeconds();

  void setPollIntervalSeconds(int value);

  @Description("With --watch: how far back, in minutes, each listing looks; a recording modified earlier is not "
      + "picked up (backfill it). Must be under 24 hours, the dedupe window.")
  @Default.Integer(60)
  int getLookbackMinutes();

  void setLookbackMinutes(int value);

  @Description("Pub/Sub subscription with Cloud Storage notifications (JSON_API_V1) and/or Parley arrival events; "
      + "makes the job a streaming job. Example: projects/my-project/subscriptions/parley-arrivals")
  String getSubscription();

  void setSubscription(String value);
}
