package dev.parley.transforms.transcribe;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.api.gax.longrunning.OperationTimedPollAlgorithm;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.speech.v2.AutoDetectDecodingConfig;
import com.google.cloud.speech.v2.BatchRecognizeFileMetadata;
import com.google.cloud.speech.v2.BatchRecognizeFileResult;
import com.google.cloud.speech.v2.BatchRecognizeRequest;
import com.google.cloud.speech.v2.BatchRecognizeResponse;
import com.google.cloud.speech.v2.InlineOutputConfig;
import com.google.cloud.speech.v2.RecognitionConfig;
import com.google.cloud.speech.v2.RecognitionFeatures;
import com.google.cloud.speech.v2.RecognitionOutputConfig;
import com.google.cloud.speech.v2.RecognizeRequest;
import com.google.cloud.speech.v2.SpeakerDiarizationConfig;
import com.google.cloud.speech.v2.SpeechClient;
import com.google.cloud.speech.v2.SpeechRecognitionResult;
import com.google.cloud.speech.v2.SpeechSettings;
import com.google.protobuf.ByteString;
import dev.parley.model.ErrorCode;
import dev.parley.model.ProbedAudio;
import dev.parley.model.Transcript;
import dev.parley.tenant.TenantConfig;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.beam.sdk.io.FileSystems;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Transcribes with Cloud Speech-to-Text v2 ({@code chirp_3} by default, with speaker diarization), selectable per
 * tenant, producing the same {@link Transcript} as Gemini (no summary or action items: Speech-to-Text gives
 * words, not understanding).
 *
 * <p>Recordings in Cloud Storage go through {@code batchRecognize} with the result returned inline, so the worker
 * never reads the audio; local recordings (local runs) are sent as bytes to {@code recognize}, which takes at
 * most a minute of audio. gax's own retries are off for both, as for Gemini: the stage retries.
 */
public final class SpeechToTextEngine implements TranscriptionEngine {
  /** The synchronous API's limits: one minute of audio, 10 MB. */
  static final long SYNC_MAX_MILLIS = 60_000;
  static final long SYNC_MAX_BYTES = 10 * 1000 * 1000;

  private final ModelEndpoints endpoints;
  private final Map<String, SpeechClient> clients = new ConcurrentHashMap<>();

  public SpeechToTextEngine(ModelEndpoints endpoints) {
    this.endpoints = endpoints;
  }

  @Override
  public PreparedCall prepare(TranscriptionRequest request) throws TranscriptionException {
    TenantConfig.Speech speech = request.tenant().transcription().speech();
    SpeechClient client = client(speech.location());
    ProbedAudio call = request.call();
    String uri = call.getArrival().getSourceUri();
    if (uri.startsWith("gs://")) {
      return new SpeechCall(client, request, null, null);
    }
    if (call.getAudio().getDurationMillis() > SYNC_MAX_MILLIS || call.getArrival().getSizeBytes() > SYNC_MAX_BYTES) {
      throw TranscriptionException.permanent(ErrorCode.AUDIO_TOO_LARGE, "Speech-to-Text reads recordings over a "
          + "minute only from Cloud Storage; this one is local (" + call.getAudio().getDurationMillis() + " ms)");
    }
    try (InputStream in = Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(uri, false)))) {
      byte[] bytes = in.readAllBytes();
      return new SpeechCall(client, request, ByteString.copyFrom(bytes), sha256(bytes));
    } catch (IOException e) {
      throw TranscriptionException.retryable(ErrorCode.AUDIO_READ_FAILED, null,
          "cannot read the recording: " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private static final class SpeechCall implements PreparedCall {
    private final SpeechClient client;
    private final TranscriptionRequest request;
    private final @Nullable ByteString content;
    private final @Nullable String sha256;

    SpeechCall(SpeechClient client, TranscriptionRequest request, @Nullable ByteString content, @Nullable String sha256) {
      this.client = client;
      this.request = request;
      this.content = content;
      this.sha256 = sha256;
    }

    @Override
    public Transcript attempt() throws TranscriptionException {
      TenantConfig.Speech speech = request.tenant().transcription().speech();
      RecognitionConfig config = config(request.tenant());
      List<SpeechRecognitionResult> results;
      try {
        if (content != null) {
          results = client.recognize(RecognizeRequest.newBuilder().setRecognizer(speech.recognizerName())
              .setConfig(config).setContent(content).build()).getResultsList();
        } else {
          results = batch(speech, config);
        }
      } catch (ApiException e) {
        throw classify(e);
      }
      return SpeechTranscripts.toTranscript(results, request.call().getAudio().getDurationMillis())
          .setModel("speech-to-text/" + speech.modelOrDefault())
          .setInputTokens(0)
          .setOutputTokens(0)
          .build();
    }

    private List<SpeechRecognitionResult> batch(TenantConfig.Speech speech, RecognitionConfig config)
        throws TranscriptionException {
      String uri = request.call().getArrival().getSourceUri();
      BatchRecognizeRequest batch = BatchRecognizeRequest.newBuilder()
          .setRecognizer(speech.recognizerName())
          .setConfig(config)
          .addFiles(BatchRecognizeFileMetadata.newBuilder().setUri(uri))
          .setRecognitionOutputConfig(RecognitionOutputConfig.newBuilder()
              .setInlineResponseConfig(InlineOutputConfig.getDefaultInstance()))
          .build();
      BatchRecognizeResponse response;
      try {
        response = client.batchRecognizeAsync(batch).get(request.timeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw TranscriptionException.retryable(ErrorCode.MODEL_TIMEOUT, null,
            "Speech-to-Text batchRecognize did not finish within " + request.timeout().toSeconds() + " s");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw TranscriptionException.retryable(ErrorCode.MODEL_TIMEOUT, null, "interrupted while waiting for Speech-to-Text");
      } catch (ExecutionException e) {
        if (e.getCause() instanceof ApiException api) {
          throw classify(api);
        }
        throw TranscriptionException.retryable(ErrorCode.MODEL_UNAVAILABLE, null,
            "Speech-to-Text batchRecognize failed: " + e.getCause());
      }
      BatchRecognizeFileResult result = response.getResultsMap().get(uri);
      if (result == null) {
        throw TranscriptionException.retryable(ErrorCode.MODEL_RESPONSE_INVALID, null,
            "Speech-to-Text returned no result for " + uri);
      }
      if (result.hasError() && result.getError().getCode() != 0) {
        throw TranscriptionException.permanent(ErrorCode.MODEL_REJECTED,
            "Speech-to-Text could not transcribe the file: " + result.getError().getMessage());
      }
      return result.getInlineResult().getTranscript().getResultsList();
    }

    @Override
    public @Nullable String audioSha256() {
      return sha256;
    }

    @Override
    public void close() {}
  }

  static RecognitionConfig config(TenantConfig tenant) {
    TenantConfig.Speech speech = tenant.transcription().speech();
    RecognitionFeatures.Builder features = RecognitionFeatures.newBuilder()
        .setEnableWordTimeOffsets(true)
        .setEnableAutomaticPunctuation(true);
    int min = speech.minSpeakers() == null ? 2 : speech.minSpeakers();
    int max = speech.maxSpeakers() == null ? Math.max(min, 2) : speech.maxSpeakers();
    features.setDiarizationConfig(SpeakerDiarizationConfig.newBuilder().setMinSpeakerCount(min).setMaxSpeakerCount(max));
    List<String> languages = tenant.transcription().languageHints().isEmpty()
        ? List.of("auto") : tenant.transcription().languageHints();
    return RecognitionConfig.newBuilder()
        .setAutoDecodingConfig(AutoDetectDecodingConfig.getDefaultInstance())
        .setModel(speech.modelOrDefault())
        .addAllLanguageCodes(languages)
        .setFeatures(features)
        .build();
  }

  static TranscriptionException classify(ApiException e) {
    StatusCode.Code code = e.getStatusCode().getCode();
    String message = "Speech-to-Text answered " + code + ": " + e.getMessage();
    return switch (code) {
      case RESOURCE_EXHAUSTED -> TranscriptionException.retryable(ErrorCode.MODEL_RATE_LIMITED, null, message);
      case UNAVAILABLE, INTERNAL, ABORTED, UNKNOWN -> TranscriptionException.retryable(ErrorCode.MODEL_UNAVAILABLE, null, message);
      case DEADLINE_EXCEEDED -> TranscriptionException.retryable(ErrorCode.MODEL_TIMEOUT, null, message);
      case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> TranscriptionException.permanent(ErrorCode.MODEL_BAD_REQUEST, message);
      case UNAUTHENTICATED, PERMISSION_DENIED -> TranscriptionException.permanent(ErrorCode.MODEL_AUTH_FAILED, message);
      default -> TranscriptionException.permanent(ErrorCode.MODEL_REJECTED, message);
    };
  }

  private SpeechClient client(String location) throws TranscriptionException {
    try {
      return clients.computeIfAbsent(location, this::newClient);
    } catch (IllegalStateException e) {
      throw TranscriptionException.retryable(ErrorCode.MODEL_UNAVAILABLE, null, e.getMessage());
    }
  }

  private SpeechClient newClient(String location) {
    try {
      SpeechSettings.Builder settings = SpeechSettings.newBuilder();
      if (endpoints.speech() != null) {
        settings.setEndpoint(endpoints.speech())
            .setCredentialsProvider(NoCredentialsProvider.create())
            .setTransportChannelProvider(InstantiatingGrpcChannelProvider.newBuilder()
                .setEndpoint(endpoints.speech())
                .setChannelConfigurator(ManagedChannelBuilder::usePlaintext)
                .build());
      } else {
        settings.setEndpoint(location.equals("global") ? "speech.googleapis.com:443" : location + "-speech.googleapis.com:443");
      }
      // One attempt per call: the stage retries, honouring its own limits and backoff.
      settings.recognizeSettings().setRetryableCodes();
      settings.batchRecognizeSettings().setRetryableCodes();
      settings.batchRecognizeOperationSettings().setPollingAlgorithm(OperationTimedPollAlgorithm.create(
          RetrySettings.newBuilder()
              .setInitialRetryDelayDuration(Duration.ofMillis(500))
              .setRetryDelayMultiplier(1.5)
              .setMaxRetryDelayDuration(Duration.ofSeconds(30))
              .setTotalTimeoutDuration(Duration.ofHours(2))
              .build()));
      return SpeechClient.create(settings.build());
    } catch (IOException e) {
      throw new IllegalStateException("cannot create the Speech-to-Text client: " + e.getMessage(), e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    clients.values().forEach(SpeechClient::close);
    clients.clear();
  }
}
