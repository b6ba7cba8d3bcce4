package dev.parley.pipeline;

import org.apache.beam.sdk.options.Description;

/** Options of {@link IngestPipeline}. */
public interface IngestOptions extends ParleyOptions, SinkOptions {
  @Description("Drop folder whose {tenantId}/ subfolders receive recordings, local or gs://. Every recording "
      + "under {dropFolder}/{tenantId}/ belongs to that tenant. Example: gs://parley-drop/ or /data/drop")
  String getDropFolder();

  void setDropFolder(String value);
}
