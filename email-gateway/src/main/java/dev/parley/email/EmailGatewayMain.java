package dev.parley.email;

import dev.parley.tenant.SecretRef;
import dev.parley.tenant.TenantConfigException;
import dev.parley.tenant.TenantConfigSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The gateway's entry point, in the container and behind {@code ./parley email-gateway}. Every option has an
 * environment variable, which is how Cloud Run sets them; {@code PORT} is Cloud Run's own.
 */
@Command(name = "email-gateway", mixinStandardHelpOptions = true, description = {
    "Receives SendGrid Inbound Parse posts on POST /inbound.",
    "Each audio attachment goes, with a metadata sidecar, into the drop folder",
    "of the tenant whose inboundEmail settings claim the recipient.",
    "GET /metrics serves Prometheus counters; GET /healthz answers ok."})
public final class EmailGatewayMain implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(EmailGatewayMain.class);
  /** SendGrid accepts mails of up to 30 MB; the post adds the form's text and headers. */
  private static final long DEFAULT_MAX_POST_BYTES = 40L * 1024 * 1024;

  @Option(names = "--port", defaultValue = "${env:PORT:-8080}", description = "Port (env PORT). Default: ${DEFAULT-VALUE}")
  int port;

  @Option(names = "--host", defaultValue = "${env:PARLEY_EMAIL_HOST:-0.0.0.0}",
      description = "Address to listen on (env PARLEY_EMAIL_HOST). Default: ${DEFAULT-VALUE}")
  String host;

  @Option(names = "--dropFolder", defaultValue = "${env:PARLEY_DROP_FOLDER}",
      description = "The pipeline's drop folder, gs:// or local (env PARLEY_DROP_FOLDER); mail for tenant T goes to "
          + "{dropFolder}/T/email/.")
  String dropFolder;

  @Option(names = "--tenantConfig", split = ",", defaultValue = "${env:PARLEY_TENANT_CONFIG}",
      description = "Tenant config locations, as for the pipeline (env PARLEY_TENANT_CONFIG); re-read every 10 s.")
  List<String> tenantConfig;

  @Option(names = "--verificationKey", converter = SecretRefConverter.class,
      defaultValue = "${env:PARLEY_EMAIL_VERIFICATION_KEY}",
      description = "Where the parse security policy's ECDSA public key is: sm://, env:// or file:// "
          + "(env PARLEY_EMAIL_VERIFICATION_KEY).")
  SecretRef verificationKey;

  @Option(names = "--bearerToken", converter = SecretRefConverter.class,
      defaultValue = "${env:PARLEY_EMAIL_BEARER_TOKEN}",
      description = "Where the OAuth access token SendGrid presents is: sm://, env:// or file:// "
          + "(env PARLEY_EMAIL_BEARER_TOKEN).")
  SecretRef bearerToken;

  @Option(names = "--maxPostBytes", defaultValue = "${env:PARLEY_EMAIL_MAX_POST_BYTES:-" + DEFAULT_MAX_POST_BYTES + "}",
      description = "Larger posts are answered 413. Default: ${DEFAULT-VALUE}")
  long maxPostBytes;

  @Option(names = "--maxSignatureAgeSeconds", defaultValue = "300",
      description = "Signatures older than this are refused as replays. Default: ${DEFAULT-VALUE}")
  long maxSignatureAgeSeconds;

  @Option(names = "--shutdownGraceSeconds", defaultValue = "8",
      description = "On SIGTERM, how long posts in flight may finish (Cloud Run allows 10 s). Default: ${DEFAULT-VALUE}")
  long shutdownGraceSeconds;

  public static void main(String[] args) {
    System.exit(new CommandLine(new EmailGatewayMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (dropFolder == null || tenantConfig == null || tenantConfig.isEmpty()) {
      System.err.println("--dropFolder and --tenantConfig are required (or PARLEY_DROP_FOLDER, PARLEY_TENANT_CONFIG)");
      return 2;
    }
    GatewaySettings settings;
    try {
      settings = new GatewaySettings(host, port, absolute(dropFolder),
          TenantConfigSpec.of(tenantConfig.stream().map(EmailGatewayMain::absolute).toList()),
          verificationKey, bearerToken, maxPostBytes, Duration.ofSeconds(maxSignatureAgeSeconds),
          Duration.ofSeconds(shutdownGraceSeconds));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    EmailGateway gateway;
    try {
      gateway = EmailGateway.start(settings);
    } catch (TenantConfigException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(gateway), "email-gateway-shutdown"));
    System.out.println("Email gateway listening on " + host + ":" + gateway.port() + EmailGateway.INBOUND_PATH
        + ", writing to " + settings.dropRoot() + " (Ctrl-C to stop)");
    gateway.join();
    return 0;
  }

  private static void stop(EmailGateway gateway) {
    try {
      gateway.close();
    } catch (Exception e) {
      LOG.atWarn().setCause(e).log("email gateway did not stop cleanly");
    }
  }

  /** Local paths are made absolute (and file:// stripped), as the pipeline names its drop folder's files. */
  static String absolute(String location) {
    if (location.startsWith("file://")) {
      return Path.of(location.substring("file://".length())).toAbsolutePath().normalize().toString();
    }
    return location.contains("://") ? location : Path.of(location).toAbsolutePath().normalize().toString();
  }

  /** Parses a secret reference; its error message never repeats the text (it may be a pasted secret). */
  static final class SecretRefConverter implements CommandLine.ITypeConverter<SecretRef> {
    @Override
    public SecretRef convert(String value) {
      return SecretRef.parse(value);
    }
  }
}
