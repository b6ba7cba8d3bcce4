package dev.parley.tenant;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class TenantConfigLoaderTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private static final String DEFAULTS = """
      defaults:
        enabled: true
        transcription:
          engine: gemini
          model: gemini-2.5-flash
          prompt: Transcribe.
          maxInlineBytes: 1000
          maxAudioSeconds: 3600
          gemini:
            backend: gemini-api
            apiKey: env://GEMINI_KEY
        quota: {requestsPerMinute: 10, burst: 2, weight: 1, overDailyCap: defer}
        crm: {kind: none}
      """;

  static String examplesDir() {
    // Tests run from the module folder; the examples are part of the module.
    return new File("examples").getAbsolutePath();
  }

  @Test
  public void loadsTheExamplesWithDefaultsMergedIntoEachTenant() throws Exception {
    TenantRegistry registry = TenantConfigLoader.load(List.of(examplesDir()));

    assertEquals(
        List.of("acme-sales", "globex-support", "initech"),
        registry.tenants().stream().map(TenantConfig::id).collect(Collectors.toList()));
    TenantConfig acme = registry.find("acme-sales").orElseThrow();
    assertEquals("gemini-2.5-flash", acme.transcription().model()); // from defaults
    assertEquals(List.of("en-US", "es-US"), acme.transcription().languageHints()); // list replaced
    assertEquals(120, acme.quota().requestsPerMinute()); // overridden
    assertEquals(Long.valueOf(20000), acme.quota().audioMinutesPerDay()); // merged from defaults
    assertEquals("sm://projects/parley-prod/secrets/acme-sales-gemini-key", acme.transcription().gemini().apiKey().uri());
    assertEquals("hubspot", acme.crm().kind());

    TenantConfig globex = registry.find("globex-support").orElseThrow();
    assertTrue(globex.transcription().gemini().isVertex());
    assertEquals("europe-west4", globex.transcription().gemini().location());
    assertEquals("globex-eu", globex.spanner().instance());
    assertEquals("dead-letter", globex.quota().overDailyCap());
    assertEquals("Parley_Call_Id__c", globex.crm().salesforce().externalIdField());
    assertNull("no inbound email unless configured", globex.inboundEmail());
  }

  @Test
  public void routesRecipientsToTheTenantThatClaimsThem() throws Exception {
    TenantRegistry registry = TenantConfigLoader.load(List.of(examplesDir()));

    assertEquals("acme-sales", registry.ownerOfRecipient("Recordings@ACME.parley.example").orElseThrow().id());
    assertEquals("initech", registry.ownerOfRecipient("anything@initech.parley.example").orElseThrow().id());
    assertFalse("an exact address does not claim its domain",
        registry.ownerOfRecipient("sales@acme.parley.example").isPresent());
    assertFalse("a domain does not claim its sub-domains",
        registry.ownerOfRecipient("x@eu.initech.parley.example").isPresent());

    TenantConfig.InboundEmail acme = registry.find("acme-sales").orElseThrow().inboundEmail();
    assertTrue(acme.allowsSender("pbx-7@acme-pbx.example"));
    assertTrue(acme.allowsSender("VoiceMail@acme.example"));
    assertFalse(acme.allowsSender("someone@acme.example"));
    assertFalse(acme.allowsSender("x@evil-acme-pbx.example"));
    assertTrue("no allowedSenders: any sender",
        registry.find("initech").orElseThrow().inboundEmail().allowsSender("anyone@anywhere.example"));
  }

  @Test
  public void refusesTwoTenantsClaimingOneRecipient() {
    String tenants = """
        tenants:
          acme: {displayName: Acme, inboundEmail: {addresses: [calls@acme.parley.example]}}
          globex: {displayName: Globex, inboundEmail: {addresses: [CALLS@acme.parley.example]}}
          initech: {displayName: Initech, inboundEmail: {domains: [acme.parley.example]}}
          umbrella: {displayName: Umbrella, inboundEmail: {domains: [umbrella.parley.example]}}
        """;
    List<String> problems = problemsWithDefaults(tenants);

    assertEquals(problems.toString(), 3, problems.size());
    assertThat(problems, hasItem("t.yaml: tenant 'globex': /inboundEmail: recipient(s) calls@acme.parley.example"
        + " also belong to tenant 'acme': every recipient must belong to exactly one tenant"));
    assertThat(problems, hasItem(containsString(
        "tenant 'initech': /inboundEmail: recipient(s) calls@acme.parley.example also belong to tenant 'acme'")));
    assertThat(problems, hasItem(containsString(
        "tenant 'initech': /inboundEmail: recipient(s) calls@acme.parley.example also belong to tenant 'globex'")));
  }

  @Test
  public void refusesMalformedInboundEmailSettings() {
    String tenants = """
        tenants:
          acme:
            displayName: Acme
            inboundEmail:
              addresses: ["Recordings <rec@acme.example>"]
              domains: [localhost]
              allowedSenders: []
          globex:
            displayName: Globex
            inboundEmail: {allowedSenders: ["*@*.pbx.example"], recipients: [x@globex.example]}
        """;
    List<String> problems = problemsWithDefaults(tenants);

    assertThat(problems, hasItem(containsString("tenant 'acme': /inboundEmail/addresses/0: ")));
    assertThat(problems, hasItem(containsString("tenant 'acme': /inboundEmail/domains/0: ")));
    assertThat(problems, hasItem(containsString("tenant 'acme': /inboundEmail/allowedSenders: ")));
    assertThat(problems, hasItem(containsString("tenant 'globex': /inboundEmail/allowedSenders/0: ")));
    assertThat(problems, hasItem(containsString("tenant 'globex': /inboundEmail/recipients: ")));
  }

  @Test
  public void reportsEveryProblemWithFileTenantAndField() {
    String tenants = """
        tenants:
          acme:
            displayName: Acme
            quota: {requestsPerMinute: 0}
            colour: blue
          globex:
            displayName: Globex
            transcription:
              gemini: {backend: vertex-ai}
          "bad/id":
            displayName: Bad
        """;
    TenantConfigException e = assertThrows(TenantConfigException.class, () -> TenantConfigLoader.fromDocuments(
        List.of(new ConfigDocument("defaults.yaml", DEFAULTS), new ConfigDocument("tenants.yaml", tenants))));

    List<String> problems = e.problems().stream().map(ConfigProblem::toString).collect(Collectors.toList());
    assertThat(problems, hasItem(containsString("tenants.yaml: tenant 'acme': /quota/requestsPerMinute: ")));
    assertThat(problems, hasItem(containsString("tenants.yaml: tenant 'acme': /colour: property 'colour' is not defined")));
    assertThat(problems, hasItem(containsString("tenants.yaml: tenant 'globex': /transcription/gemini: required property 'project'")));
    assertThat(problems, hasItem(containsString("tenants.yaml: tenant 'globex': /transcription/gemini: required property 'location'")));
    assertThat(problems, hasItem(containsString("tenants.yaml: /tenants/bad/id: tenant id has a character outside")));
    assertThat(e.getMessage(), containsString("problems:"));
  }

  @Test
  public void refusesASecretValueWithoutRepeatingIt() {
    String leaked = "AIzaSyD-this-is-a-pasted-real-key-1234567";
    String tenants = """
        tenants:
          acme:
            displayName: Acme
            transcription:
              gemini: {apiKey: "%s"}
        """.formatted(leaked);
    TenantConfigException e = assertThrows(TenantConfigException.class, () -> TenantConfigLoader.fromDocuments(
        List.of(new ConfigDocument("defaults.yaml", DEFAULTS), new ConfigDocument("acme.yaml", tenants))));

    assertThat(e.getMessage(), containsString("tenant 'acme': /transcription/gemini/apiKey"));
    assertThat(e.getMessage(), not(containsString(leaked)));
  }

  @Test
  public void requiresBackendSettingsAfterMerging() {
    String noKey = DEFAULTS.replaceAll("\\s*apiKey: env://GEMINI_KEY", "");
    String tenants = "tenants:\n  acme:\n    displayName: Acme\n";
    TenantConfigException e = assertThrows(TenantConfigException.class, () -> TenantConfigLoader.fromDocuments(
        List.of(new ConfigDocument("defaults.yaml", noKey), new ConfigDocument("acme.yaml", tenants))));
    assertThat(e.getMessage(), containsString("tenant 'acme': /transcription/gemini: required property 'apiKey'"));
  }

  @Test
  public void refusesOverlappingSources() {
    String tenants = """
        tenants:
          acme: {displayName: Acme, sources: ["gs://shared-bucket/calls"]}
          globex: {displayName: Globex, sources: ["gs://shared-bucket/calls/globex/"]}
          initech: {displayName: Initech, sources: ["gs://shared-bucket/calls2/"]}
        """;
    TenantConfigException e = assertThrows(TenantConfigException.class, () -> TenantConfigLoader.fromDocuments(
        List.of(new ConfigDocument("d.yaml", DEFAULTS), new ConfigDocument("t.yaml", tenants))));
    assertEquals(1, e.problems().size());
    assertThat(e.getMessage(), containsString("tenant 'globex': /sources: source gs://shared-bucket/calls/globex/ overlaps"));
  }

  /** The problems refusing {@code tenants} ("t.yaml") on top of {@link #DEFAULTS} ("d.yaml"). */
  private static List<String> problemsWithDefaults(String tenants) {
    TenantConfigException e = assertThrows(TenantConfigException.class, () -> TenantConfigLoader.fromDocuments(
        List.of(new ConfigDocument("d.yaml", DEFAULTS), new ConfigDocument("t.yaml", tenants))));
    return e.problems().stream().map(ConfigProblem::toString).collect(Collectors.toList());
  }

  @Test
  public void reportsYamlSyntaxErrorsWithTheirLine() {
    TenantConfigException e = assertThrows(TenantConfigException.class, () -> TenantConfigLoader.fromDocuments(
        List.of(new ConfigDocument("broken.yaml", "tenants:\n  acme: {displayName: [unclosed\n"))));
    assertThat(e.getMessage(), containsString("broken.yaml: not valid YAML at line"));
  }

  @Test
  public void refusesDuplicateTenantsInOneFile() {
    String tenants = "tenants:\n  acme: {displayName: A}\n  acme: {displayName: B}\n";
    TenantConfigException e = assertThrows(TenantConfigException.class, () -> TenantConfigLoader.fromDocuments(
        List.of(new ConfigDocument("d.yaml", DEFAULTS), new ConfigDocument("t.yaml", tenants))));
    assertThat(e.getMessage(), containsString("Duplicate field 'acme'"));
  }

  @Test
  public void laterLocationsOverrideEarlierOnes() throws Exception {
    Path base = tmp.newFolder("base").toPath();
    Files.writeString(base.resolve("defaults.yaml"), DEFAULTS);
    Files.writeString(base.resolve("acme.yaml"), "tenants:\n  acme: {displayName: Acme}\n");
    Path overlay = tmp.newFile("local.yaml").toPath();
    Files.writeString(overlay, "tenants:\n  acme:\n    transcription: {gemini: {apiKey: file:///tmp/acme.key}}\n");

    TenantConfig acme =
        TenantConfigLoader.load(List.of(base.toString(), overlay.toString())).find("acme").orElseThrow();

    assertEquals("file:///tmp/acme.key", acme.transcription().gemini().apiKey().uri());
    assertEquals("Acme", acme.displayName());
    assertEquals("gemini-2.5-flash", acme.transcription().model());
  }

  @Test
  public void reportsAnEmptyLocation() throws Exception {
    Path empty = tmp.newFolder("empty").toPath();
    TenantConfigException e =
        assertThrows(TenantConfigException.class, () -> TenantConfigLoader.load(List.of(empty.toString())));
    assertThat(e.getMessage(), containsString("no *.yaml or *.yml file found"));
  }

  @Test
  public void findsTheOwnerOfASourceOnFolderBoundaries() throws Exception {
    TenantRegistry registry = TenantConfigLoader.load(List.of(examplesDir()));
    assertEquals("globex-support",
        registry.ownerOfSource("gs://globex-voicemail/2026/11/vm-1.wav").orElseThrow().id());
    assertFalse(registry.ownerOfSource("gs://acme-call-recordings/parley2/x.wav").isPresent());
    assertTrue(TenantRegistry.isUnderSources(registry.find("acme-sales").orElseThrow(),
        "gs://acme-call-recordings/parley/a/b.wav"));
  }

  @Test
  public void readsModelPricesAndProjectLimits() throws Exception {
    TenantRegistry registry = TenantConfigLoader.load(List.of(examplesDir()));
    ModelConfig flash = registry.model("gemini-2.5-flash").orElseThrow();
    assertEquals(1.0, flash.pricing().estimateUsd(1_000_000, 0, 0), 1e-9);
    assertEquals(2.5, flash.pricing().estimateUsd(0, 1_000_000, 60_000), 1e-9);
    assertEquals(Integer.valueOf(1000), flash.projectLimits().requestsPerMinute());
    assertFalse(registry.model("gemini-9").isPresent());
  }

  @Test
  public void refusesAnUnknownPromptPlaceholder() {
    String tenants = "tenants:\n  acme:\n    displayName: Acme\n    transcription: {prompt: \"Hi ${customerName}\"}\n";
    TenantConfigException e = assertThrows(TenantConfigException.class, () -> TenantConfigLoader.fromDocuments(
        List.of(new ConfigDocument("d.yaml", DEFAULTS), new ConfigDocument("t.yaml", tenants))));
    assertThat(e.getMessage(), containsString("tenant 'acme': /transcription/prompt: unknown placeholder ${customerName}"));
  }

  @Test
  public void refusesASalesforceTenantWithoutTheCredentialsOfItsAuthFlow() throws Exception {
    String tenants = """
        tenants:
          jwt:
            displayName: JWT without key
            crm:
              kind: salesforce
              salesforce: {instanceUrl: "https://jwt.my.salesforce.com", auth: jwt-bearer, clientId: abc,
                           externalIdField: Parley_Call_Id__c, username: bot@jwt.example}
          secretless:
            displayName: Client credentials without secret
            crm:
              kind: salesforce
              salesforce: {instanceUrl: "https://cc.my.salesforce.com", auth: client-credentials, clientId: abc,
                           externalIdField: Parley_Call_Id__c}
          complete:
            displayName: Complete
            crm:
              kind: salesforce
              callUrlTemplate: "https://app.parley.example/calls/{tenantId}/{callId}"
              salesforce: {instanceUrl: "https://ok.my.salesforce.com", auth: client-credentials, clientId: abc,
                           clientSecret: "env://SF_SECRET", externalIdField: Parley_Call_Id__c, requestsPerMinute: 100}
        """;
    TenantConfigException e = assertThrows(TenantConfigException.class, () -> TenantConfigLoader.fromDocuments(
        List.of(new ConfigDocument("defaults.yaml", DEFAULTS), new ConfigDocument("crm.yaml", tenants))));
    List<String> problems = e.problems().stream().map(ConfigProblem::toString).toList();
    assertThat(problems, hasItem(allOf(containsString("jwt"), containsString("privateKey"))));
    assertThat(problems, hasItem(allOf(containsString("secretless"), containsString("clientSecret"))));
    assertThat(problems.toString(), not(containsString("complete")));
  }

  @Test
  public void audioSettingsHaveDefaultsAndChannelRolesAreChecked() throws Exception {
    TenantRegistry registry = TenantConfigLoader.fromDocuments(List.of(new ConfigDocument("defaults.yaml", DEFAULTS),
        new ConfigDocument("t.yaml", """
            tenants:
              plain: {displayName: Plain}
              stereo:
                displayName: Stereo
                transcription:
                  channels: {left: customer, right: agent}
                  chunking: {maxChunkSeconds: 600}
                  silenceTrimming: {enabled: false}
            """)));
    TenantConfig.Transcription plain = registry.find("plain").orElseThrow().transcription();
    assertEquals(null, plain.channels());
    assertEquals(900, plain.chunkingOrDefault().maxChunkSecondsOrDefault());
    assertTrue(plain.silenceTrimmingOrDefault().enabledOrDefault());
    TenantConfig.Transcription stereo = registry.find("stereo").orElseThrow().transcription();
    assertEquals("customer", stereo.channels().role(0));
    assertEquals("agent", stereo.channels().role(1));
    assertEquals(600, stereo.chunkingOrDefault().maxChunkSecondsOrDefault());
    assertEquals(5, stereo.chunkingOrDefault().overlapSecondsOrDefault());
    assertFalse(stereo.silenceTrimmingOrDefault().enabledOrDefault());
    assertEquals(-45.0, stereo.silenceTrimmingOrDefault().thresholdDbfsOrDefault(), 0);

    TenantConfigException e = assertThrows(TenantConfigException.class, () -> TenantConfigLoader.fromDocuments(
        List.of(new ConfigDocument("defaults.yaml", DEFAULTS), new ConfigDocument("t.yaml", """
            tenants:
              odd:
                displayName: Odd
                transcription: {channels: {left: agent, right: supervisor}, chunking: {maxChunkSeconds: 5}}
            """))));
    List<String> fields = e.problems().stream().map(ConfigProblem::field).toList();
    assertThat(fields, hasItem("/transcription/channels/right"));
    assertThat(fields, hasItem("/transcription/chunking/maxChunkSeconds"));
  }

  @Test
  public void calendarSettingsBindWithDefaultsAndEachAuthNeedsItsCredentials() throws Exception {
    TenantRegistry registry = TenantConfigLoader.fromDocuments(List.of(new ConfigDocument("defaults.yaml", DEFAULTS),
        new ConfigDocument("t.yaml", """
            tenants:
              plain: {displayName: Plain}
              delegated:
                displayName: Delegated
                calendar: {enabled: true, auth: service-account, serviceAccountKey: "sm://projects/parley-prod/secrets/cal-key",
                           calendarIdTemplate: "{agent}@delegated.example", internalDomains: [Delegated-Support.example]}
              tokens:
                displayName: Tokens
                calendar:
                  enabled: true
                  auth: oauth-refresh-token
                  oauthClientId: 1234.apps.googleusercontent.com
                  oauthClientSecret: env://CAL_CLIENT_SECRET
                  refreshTokens: {"Lee@Tokens.example": "env://LEE_REFRESH_TOKEN"}
                  windowMinutes: 5
              dormant:
                displayName: Dormant
                calendar: {enabled: false}
            """)));
    assertFalse(registry.find("plain").orElseThrow().calendarEnabled());
    assertFalse("disabled needs no credentials", registry.find("dormant").orElseThrow().calendarEnabled());
    TenantConfig.Calendar delegated = registry.find("delegated").orElseThrow().calendar();
    assertEquals("dana@delegated.example", delegated.calendarIdFor("dana"));
    assertEquals(java.util.Set.of("delegated.example", "delegated-support.example"),
        delegated.internalDomainsOf("dana@delegated.example"));
    assertEquals(TenantConfig.Calendar.DEFAULT_WINDOW_MINUTES, delegated.windowMinutesOrDefault());
    assertEquals(TenantConfig.Calendar.DEFAULT_REQUESTS_PER_MINUTE, delegated.requestsPerMinuteOrDefault());
    TenantConfig.Calendar tokens = registry.find("tokens").orElseThrow().calendar();
    assertEquals("lee@tokens.example", tokens.calendarIdFor("lee@tokens.example"));
    assertEquals("env://LEE_REFRESH_TOKEN", tokens.refreshTokenFor("LEE@tokens.example").uri());
    assertNull(tokens.refreshTokenFor("someone@tokens.example"));
    assertEquals(5, tokens.windowMinutesOrDefault());

    TenantConfigException e = assertThrows(TenantConfigException.class, () -> TenantConfigLoader.fromDocuments(
        List.of(new ConfigDocument("defaults.yaml", DEFAULTS), new ConfigDocument("t.yaml", """
            tenants:
              keyless: {displayName: Keyless, calendar: {enabled: true, auth: service-account}}
              clientless: {displayName: Clientless, calendar: {enabled: true, auth: oauth-refresh-token,
                           refreshTokens: {"a@b.example": "env://A_TOKEN"}}}
              pasted: {displayName: Pasted, calendar: {enabled: true, auth: service-account,
                       serviceAccountKey: "{private_key: hunter2-hunter2}"}}
              templated: {displayName: Templated, calendar: {enabled: false, calendarIdTemplate: "dana@acme.example"}}
            """))));
    List<String> problems = e.problems().stream().map(ConfigProblem::toString).toList();
    assertThat(problems, hasItem(allOf(containsString("keyless"), containsString("serviceAccountKey"))));
    assertThat(problems, hasItem(allOf(containsString("clientless"), containsString("oauthClientId"))));
    assertThat(problems, hasItem(allOf(containsString("pasted"), containsString("/calendar/serviceAccountKey"))));
    assertThat(problems, hasItem(allOf(containsString("templated"), containsString("/calendar/calendarIdTemplate"))));
    assertThat(e.getMessage(), not(containsString("hunter2")));
  }
}
