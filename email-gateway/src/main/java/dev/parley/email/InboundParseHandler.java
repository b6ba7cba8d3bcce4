package dev.parley.email;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.tenant.ReloadingTenantRegistry;
import dev.parley.tenant.SecretRedactor;
import dev.parley.tenant.SecretUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /inbound}: one SendGrid Inbound Parse post, in the order that stores nothing from a post that is
 * not proven authentic: size and credentials from the headers, then the body spooled while its signature is
 * checked, then parsing, routing and storage. See {@link Refusal} for what SendGrid is answered and why.
 */
final class InboundParseHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(InboundParseHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int DISCARD_BUFFER_BYTES = 64 * 1024;

  private final long maxPostBytes;
  private final Path scratchRoot;
  private final PostAuthenticator authenticator;
  private final InboundMailParser parser;
  private final ReloadingTenantRegistry tenants;
  private final MailRouter router;
  private final MailDelivery delivery;
  private final GatewayMetrics metrics;

  /** The status and JSON body SendGrid gets. */
  private record Answer(int status, ObjectNode body) {}

  InboundParseHandler(long maxPostBytes, Path scratchRoot, PostAuthenticator authenticator,
      ReloadingTenantRegistry tenants, MailDelivery delivery, GatewayMetrics metrics) {
    this.maxPostBytes = maxPostBytes;
    this.scratchRoot = scratchRoot;
    this.authenticator = authenticator;
    this.parser = new InboundMailParser();
    this.tenants = tenants;
    this.router = new MailRouter();
    this.delivery = delivery;
    this.metrics = metrics;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    if (!HttpMethod.POST.is(request.getMethod())) {
      Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
      return true;
    }
    Answer answer = answer(request);
    response.setStatus(answer.status());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    if (!discardUnread(request)) {
      // Jetty closes a connection whose request was not read to its end; said up front, no client reuses it.
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
    Content.Sink.write(response, true, answer.body().toString(), callback);
    return true;
  }

  /**
   * Reads what is left of a post that was refused before its end, at most another {@code maxPostBytes}, so that
   * a client still sending gets its answer instead of a reset connection. Returns whether the end was reached.
   */
  private boolean discardUnread(Request request) {
    InputStream rest = Content.Source.asInputStream(request);
    byte[] buffer = new byte[DISCARD_BUFFER_BYTES];
    try {
      for (long read = 0; read <= maxPostBytes; ) {
        int n = rest.read(buffer);
        if (n < 0) {
          return true;
        }
        read += n;
      }
    } catch (IOException e) {
      LOG.atDebug().setCause(e).log("the client went away before its answer");
    }
    return false;
  }

  private Answer answer(Request request) {
    try {
      if (request.getLength() > maxPostBytes) {
        throw new RefusedException(Refusal.TOO_LARGE, "the post declares more than " + maxPostBytes + " bytes");
      }
      PayloadSignature signature = authenticator.authenticate(request.getHeaders());
      try (PostWorkspace workspace = PostWorkspace.create(scratchRoot)) {
        Path body = workspace.receiveBody(Content.Source.asInputStream(request), maxPostBytes, signature);
        signature.verify();
        InboundMail mail = parser.parse(request.getHeaders().get(HttpHeader.CONTENT_TYPE), body, workspace.partsFolder());
        return deliver(mail);
      }
    } catch (RefusedException e) {
      metrics.refused(e.refusal());
      LOG.atWarn().addKeyValue("reason", e.refusal().label()).addKeyValue("remote", Request.getRemoteAddr(request))
          .log("post refused: {}", e.getMessage());
      return refused(e.refusal());
    } catch (SecretUnavailableException e) {
      // Ours to fix (a key or token that cannot be read): SendGrid keeps the mail and retries meanwhile.
      LOG.atError().log("cannot authenticate posts: {}", SecretRedactor.redact(e.getMessage()));
      return failed(HttpStatus.SERVICE_UNAVAILABLE_503, "credentials_unavailable");
    } catch (IOException | RuntimeException e) {
      LOG.atError().setCause(e).log("post failed");
      return failed(HttpStatus.INTERNAL_SERVER_ERROR_500, "internal_error");
    }
  }

  private Answer deliver(InboundMail mail) {
    MailRouter.Routing routing = router.route(tenants.current(), mail);
    for (MailRouter.Dropped dropped : routing.dropped()) {
      LOG.atWarn().addKeyValue("reason", dropped.reason().label()).addKeyValue("messageId", mail.messageId())
          .addKeyValue("recipient", dropped.recipient()).addKeyValue("sender", mail.sender())
          .log("mail not delivered to this recipient");
    }
    if (routing.deliveries().isEmpty()) {
      metrics.refused(routing.refusal());
      return refused(routing.refusal());
    }
    MailDelivery.Report report;
    try {
      report = delivery.deliver(routing.deliveries(), mail);
    } catch (IOException | RuntimeException e) {
      metrics.storageFailure();
      LOG.atError().addKeyValue("messageId", mail.messageId()).setCause(e)
          .log("cannot store the mail's recordings; SendGrid will retry");
      return failed(HttpStatus.SERVICE_UNAVAILABLE_503, "storage_unavailable");
    }
    metrics.accepted();
    ObjectNode body = JSON.createObjectNode().put("result", "accepted")
        .put("stored", report.stored()).put("duplicates", report.duplicates()).put("notAudio", report.notAudio());
    return new Answer(HttpStatus.OK_200, body);
  }

  private static Answer refused(Refusal refusal) {
    String result = HttpStatus.isSuccess(refusal.status()) ? "dropped" : "refused";
    return new Answer(refusal.status(), JSON.createObjectNode().put("result", result).put("reason", refusal.label()));
  }

  private static Answer failed(int status, String reason) {
    return new Answer(status, JSON.createObjectNode().put("result", "failed").put("reason", reason));
  }
}
