package dev.parley.email;

import dev.parley.tenant.ReloadingTenantRegistry;
import dev.parley.tenant.SecretResolver;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The inbound-email gateway: a Jetty server with {@code POST /inbound} (SendGrid Inbound Parse), {@code GET
 * /metrics} (Prometheus text) and {@code GET /healthz}. Stopping it lets posts in flight finish first, for
 * {@link GatewaySettings#shutdownGrace()} at most.
 */
public final class EmailGateway implements AutoCloseable {
  public static final String INBOUND_PATH = "/inbound";

  private final Server server;
  private final SecretResolver secrets;
  private final Path scratch;

  private EmailGateway(Server server, SecretResolver secrets, Path scratch) {
    this.server = server;
    this.secrets = secrets;
    this.scratch = scratch;
  }

  /** Loads the tenant config (refusing to start on any problem in it) and starts serving. */
  public static EmailGateway start(GatewaySettings settings) throws Exception {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    ReloadingTenantRegistry tenants = settings.tenantConfig().open();
    SecretResolver secrets = new SecretResolver();
    Path scratch = Files.createTempDirectory("parley-email-gateway-");
    GatewayMetrics metrics = new GatewayMetrics();
    Clock clock = Clock.systemUTC();
    PostAuthenticator authenticator = new PostAuthenticator(
        settings.verificationKey(), settings.bearerToken(), settings.maxSignatureAge(), secrets, clock);
    MailDelivery delivery = new MailDelivery(settings.dropRoot(), new DropFolderWriter(), metrics, clock);

    PathMappingsHandler routes = new PathMappingsHandler();
    routes.addMapping(PathSpec.from(INBOUND_PATH), new InboundParseHandler(
        settings.maxPostBytes(), scratch, authenticator, tenants, delivery, metrics));
    routes.addMapping(PathSpec.from("/metrics"), plainGet(GatewayMetrics.CONTENT_TYPE, metrics::writeTo));
    routes.addMapping(PathSpec.from("/healthz"),
        plainGet("text/plain", out -> out.write("ok\n".getBytes(StandardCharsets.US_ASCII))));
    Server server = server(settings, routes);
    EmailGateway gateway = new EmailGateway(server, secrets, scratch);
    try {
      server.start();
    } catch (Exception e) {
      gateway.close(); // The port may be taken: release what was set up.
      throw e;
    }
    return gateway;
  }

  private static Server server(GatewaySettings settings, Handler routes) {
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("email-gateway");
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false); // No version for scanners, in headers or error pages.
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(settings.host());
    connector.setPort(settings.port());
    server.addConnector(connector);
    server.setHandler(new GracefulHandler(routes));
    server.setStopTimeout(settings.shutdownGrace().toMillis());
    return server;
  }

  /** The port it listens on (the chosen one when started on port 0). */
  public int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  /** Where SendGrid posts, as reached on this machine. */
  public URI inboundUrl() {
    return URI.create("http://127.0.0.1:" + port() + INBOUND_PATH);
  }

  /** Blocks until the server stops. */
  public void join() throws InterruptedException {
    server.join();
  }

  @Override
  public void close() throws Exception {
    try {
      server.stop();
    } finally {
      secrets.close();
      Files.deleteIfExists(scratch); // Empty by now: every post deletes its own workspace.
    }
  }

  /** The body a GET handler writes. */
  private interface BodyWriter {
    void writeTo(OutputStream out) throws IOException;
  }

  private static Handler plainGet(String contentType, BodyWriter writer) {
    return new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws IOException {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
          writer.writeTo(out);
        }
        callback.succeeded();
        return true;
      }
    };
  }
}
