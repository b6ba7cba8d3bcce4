package dev.parley.emulator.spanner;

import com.google.spanner.v1.SpannerGrpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Refuses a share of {@code Commit} calls before the mock sees them, as a busy Spanner does: {@code ABORTED} (a
 * lock conflict; the client runs the transaction again) or {@code UNAVAILABLE} (a server going away; gax retries
 * the call). A refused commit writes nothing, so the mock's record holds exactly the commits that took effect.
 */
final class CommitFaults implements ServerInterceptor {
  private static final String COMMIT = SpannerGrpc.getCommitMethod().getFullMethodName();

  private final Random random = new Random(7);
  private final AtomicLong aborted = new AtomicLong();
  private final AtomicLong unavailable = new AtomicLong();
  private volatile double abortedRate;
  private volatile double unavailableRate;

  void rates(double abortedRate, double unavailableRate) {
    this.abortedRate = abortedRate;
    this.unavailableRate = unavailableRate;
  }

  long aborted() {
    return aborted.get();
  }

  long unavailable() {
    return unavailable.get();
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
      ServerCallHandler<Q, A> next) {
    if (call.getMethodDescriptor().getFullMethodName().equals(COMMIT)) {
      double draw;
      synchronized (random) {
        draw = random.nextDouble();
      }
      if (draw < abortedRate) {
        aborted.incrementAndGet();
        call.close(Status.ABORTED.withDescription("Transaction was aborted (injected by the stand-in)"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      if (draw < abortedRate + unavailableRate) {
        unavailable.incrementAndGet();
        call.close(Status.UNAVAILABLE.withDescription("Spanner is unavailable (injected by the stand-in)"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
    }
    return next.startCall(call, headers);
  }
}
