package dev.parley.tools;

import dev.parley.emulator.crm.HubSpotStandIn;
import dev.parley.emulator.crm.SalesforceStandIn;
import dev.parley.emulator.crm.WebhookReceiver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.util.Base64;

/**
 * The example tenants' CRMs on this machine, for {@code ./parley demo}: acme-sales' HubSpot, globex-support's
 * Salesforce and initech's webhook receiver, with secrets in files and an overlay pointing each tenant at its
 * stand-in, so the demo pushes every stored call as it would in production.
 */
final class DemoCrms implements AutoCloseable {
  private static final String HUBSPOT_TOKEN = "pat-demo-acme-sales-0000000000";
  private static final String SALESFORCE_CLIENT = "3MVG9globexParleyConnectedApp";
  private static final String SALESFORCE_SECRET = "demo-globex-client-secret-000";
  private static final String WEBHOOK_SECRET = "whsec_" + Base64.getEncoder().encodeToString("demo-initech-webhook-key-0000000".getBytes());

  private final HubSpotStandIn hubspot;
  private final SalesforceStandIn salesforce;
  private final WebhookReceiver webhook;

  private DemoCrms(HubSpotStandIn hubspot, SalesforceStandIn salesforce, WebhookReceiver webhook) {
    this.hubspot = hubspot;
    this.salesforce = salesforce;
    this.webhook = webhook;
  }

  static DemoCrms start() throws IOException, GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return new DemoCrms(HubSpotStandIn.start(HUBSPOT_TOKEN, "parley_call_id"),
        SalesforceStandIn.start(SALESFORCE_CLIENT, SALESFORCE_SECRET, generator.generateKeyPair().getPublic(), "demo"),
        WebhookReceiver.start(WEBHOOK_SECRET));
  }

  /** Writes the secrets and the overlay into {@code secrets}; returns the overlay. */
  Path writeOverlay(Path secrets) throws IOException {
    Files.writeString(secrets.resolve("acme-sales.hubspot"), HUBSPOT_TOKEN);
    Files.writeString(secrets.resolve("globex-support.salesforce"), SALESFORCE_SECRET);
    Files.writeString(secrets.resolve("initech.whsec"), WEBHOOK_SECRET);
    Path overlay = secrets.resolve("crm-overlay.yaml");
    Files.writeString(overlay, """
        # Written by ./parley demo: the example tenants' CRMs are local stand-ins.
        tenants:
          acme-sales:
            crm: {hubspot: {accessToken: "file://%s", baseUrl: "%s"}}
          globex-support:
            crm: {salesforce: {instanceUrl: "%s", clientSecret: "file://%s"}}
          initech:
            crm: {webhook: {url: "%s", signingSecret: "file://%s"}}
        """.formatted(secrets.resolve("acme-sales.hubspot"), hubspot.baseUrl(),
        salesforce.baseUrl(), secrets.resolve("globex-support.salesforce"),
        webhook.url(), secrets.resolve("initech.whsec")));
    return overlay;
  }

  String describe() {
    return "CRMs: local stand-ins of HubSpot (acme-sales) at " + hubspot.baseUrl() + ", Salesforce (globex-support) at "
        + salesforce.baseUrl() + ", and initech's signed webhook at " + webhook.url();
  }

  @Override
  public void close() {
    hubspot.close();
    salesforce.close();
    webhook.close();
  }
}
