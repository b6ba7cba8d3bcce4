package dev.parley.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Options of {@link IngestPipeline}. */
public interface IngestOptions extends ParleyOptions, SinkOptions {
  /** Where recordings come in. */
  enum Source {
    /** Recordings dropped under {@code --dropFolder}: one pass, or watched with {@code --watch}. */
    DROP_FOLDER,
    /** Cloud Storage notifications and Parley arrival events on {@code --subscription}. */
    PUBSUB
  }

  @Description("Where recordings come in: DROP_FOLDER (files under --dropFolder) or PUBSUB (Cloud Storage "
      + "notifications and Parley arrival events on --subscription; the job is then a streaming job).")
  @Default.Enum("DROP_FOLDER")
  Source getSource();

  void setSource(Source value);

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

  @Description("With --source=PUBSUB: the subscription to read. Example: projects/my-project/subscriptions/parley-arrivals")
  String getSubscription();

  void setSubscription(String value);
}
