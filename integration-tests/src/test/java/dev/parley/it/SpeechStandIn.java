package dev.parley.it;

import com.google.cloud.speech.v2.BatchRecognizeFileResult;
import com.google.cloud.speech.v2.BatchRecognizeRequest;
import com.google.cloud.speech.v2.BatchRecognizeResponse;
import com.google.cloud.speech.v2.BatchRecognizeResults;
import com.google.cloud.speech.v2.InlineResult;
import com.google.cloud.speech.v2.OperationMetadata;
import com.google.cloud.speech.v2.RecognitionConfig;
import com.google.cloud.speech.v2.RecognizeRequest;
import com.google.cloud.speech.v2.RecognizeResponse;
import com.google.cloud.speech.v2.SpeechGrpc;
import com.google.cloud.speech.v2.SpeechRecognitionAlternative;
import com.google.cloud.speech.v2.SpeechRecognitionResult;
import com.google.cloud.speech.v2.WordInfo;
import com.google.longrunning.GetOperationRequest;
import com.google.longrunning.Operation;
import com.google.longrunning.OperationsGrpc;
import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioSystem;

/**
 * A local Speech-to-Text v2 over gRPC: {@code Recognize} on inline bytes, {@code BatchRecognize} on gs:// URIs
 * (read from a local folder standing in for Cloud Storage) as a long-running operation that
 * {@code Operations.GetOperation} completes. The words are a function of the audio's digest, with two diarized
 * speakers; every request is recorded, and failures can be scripted.
 */
final class SpeechStandIn implements AutoCloseable {
  /** What one request asked for. */
  record Seen(String method, String recognizer, RecognitionConfig config, String uri, String sha256) {}

  private final Path gcsRoot;
  private final Server server;
  private final List<Seen> seen = new ArrayList<>();
  private final Queue<Status> faults = new ConcurrentLinkedQueue<>();
  private final Map<String, Operation> operations = new ConcurrentHashMap<>();
  private final AtomicInteger polls = new AtomicInteger();

  SpeechStandIn(Path gcsRoot) throws IOException {
    this.gcsRoot = gcsRoot;
    this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new Speech())
        .addService(new Operations())
        .build()
        .start();
  }

  String hostPort() {
    return "127.0.0.1:" + server.getPort();
  }

  /** The next requests fail with these statuses, in order. */
  void failNext(Status... statuses) {
    faults.addAll(List.of(statuses));
  }

  synchronized List<Seen> seen() {
    return List.copyOf(seen);
  }

  int polls() {
    return polls.get();
  }

  private synchronized void record(Seen request) {
    seen.add(request);
  }

  private final class Speech extends SpeechGrpc.SpeechImplBase {
    @Override
    public void recognize(RecognizeRequest request, StreamObserver<RecognizeResponse> response) {
      byte[] audio = request.getContent().toByteArray();
      String sha = EndToEndTest.sha256(audio);
      record(new Seen("recognize", request.getRecognizer(), request.getConfig(), "", sha));
      Status fault = faults.poll();
      if (fault != null) {
        response.onError(fault.asRuntimeException());
        return;
      }
      response.onNext(RecognizeResponse.newBuilder().addResults(result(sha, seconds(audio))).build());
      response.onCompleted();
    }

    @Override
    public void batchRecognize(BatchRecognizeRequest request, StreamObserver<Operation> response) {
      String uri = request.getFiles(0).getUri();
      Path local = gcsRoot.resolve(uri.substring("gs://".length()));
      byte[] audio;
      try {
        audio = Files.readAllBytes(local);
      } catch (IOException e) {
        response.onError(Status.NOT_FOUND.withDescription("no object " + uri).asRuntimeException());
        return;
      }
      String sha = EndToEndTest.sha256(audio);
      record(new Seen("batchRecognize", request.getRecognizer(), request.getConfig(), uri, sha));
      Status fault = faults.poll();
      if (fault != null) {
        response.onError(fault.asRuntimeException());
        return;
      }
      String name = "projects/p/locations/l/operations/op-" + operations.size();
      BatchRecognizeResponse result = BatchRecognizeResponse.newBuilder()
          .putResults(uri, BatchRecognizeFileResult.newBuilder().setUri(uri).setInlineResult(InlineResult.newBuilder()
              .setTranscript(BatchRecognizeResults.newBuilder().addResults(result(sha, seconds(audio))))).build())
          .build();
      operations.put(name, Operation.newBuilder().setName(name).setDone(true)
          .setMetadata(Any.pack(OperationMetadata.getDefaultInstance())).setResponse(Any.pack(result)).build());
      // Not done yet on submission: the client must poll, as with the real service.
      response.onNext(Operation.newBuilder().setName(name).setDone(false)
          .setMetadata(Any.pack(OperationMetadata.getDefaultInstance())).build());
      response.onCompleted();
    }
  }

  private final class Operations extends OperationsGrpc.OperationsImplBase {
    @Override
    public void getOperation(GetOperationRequest request, StreamObserver<Operation> response) {
      polls.incrementAndGet();
      Operation operation = operations.get(request.getName());
      if (operation == null) {
        response.onError(Status.NOT_FOUND.asRuntimeException());
        return;
      }
      response.onNext(operation);
      response.onCompleted();
    }
  }

  /** Six words over the whole recording: three by speaker 1, three by speaker 2; the fourth names the digest. */
  private static SpeechRecognitionResult result(String sha, double seconds) {
    String[] words = {"Hello", "from", "Parley", "sha256:" + sha, "thanks", "goodbye"};
    long total = Math.round(seconds * 1000);
    SpeechRecognitionAlternative.Builder alternative = SpeechRecognitionAlternative.newBuilder()
        .setTranscript(String.join(" ", words));
    for (int i = 0; i < words.length; i++) {
      alternative.addWords(WordInfo.newBuilder().setWord(words[i])
          .setStartOffset(duration(total * i / words.length)).setEndOffset(duration(total * (i + 1) / words.length))
          .setSpeakerLabel(i < 3 ? "1" : "2"));
    }
    return SpeechRecognitionResult.newBuilder().addAlternatives(alternative).setLanguageCode("en-us")
        .setResultEndOffset(duration(total)).build();
  }

  private static Duration duration(long millis) {
    return Duration.newBuilder().setSeconds(millis / 1000).setNanos((int) (millis % 1000) * 1_000_000).build();
  }

  private static double seconds(byte[] audio) {
    try {
      AudioFileFormat format = AudioSystem.getAudioFileFormat(new ByteArrayInputStream(audio));
      return format.getFrameLength() / (double) format.getFormat().getFrameRate();
    } catch (Exception e) {
      return 1;
    }
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}
