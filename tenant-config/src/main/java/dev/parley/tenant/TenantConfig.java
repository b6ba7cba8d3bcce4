package dev.parley.tenant;

import java.io.Serializable;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One tenant as the pipeline serves it: the defaults merged with the tenant's own overrides and validated
 * against {@code tenant-config.schema.json}. Secrets are held as references only ({@link SecretRef}); the
 * values are fetched by {@link SecretResolver} on the worker that needs them.
 */
public record TenantConfig(
    String id,
    String displayName,
    boolean enabled,
    List<String> sources,
    Transcription transcription,
    Quota quota,
    @Nullable Spanner spanner,
    Crm crm,
    @Nullable InboundEmail inboundEmail,
    @Nullable Calendar calendar)
    implements Serializable {

  public TenantConfig {
    sources = sources == null ? List.of() : List.copyOf(sources);
  }

  /** How this tenant's calls are transcribed; {@code prompt} is a template over {@link #PROMPT_PLACEHOLDERS}. */
  public record Transcription(
      String engine,
      String model,
      String prompt,
      @Nullable List<String> languageHints,
      long maxInlineBytes,
      long maxAudioSeconds,
      @Nullable Gemini gemini,
      @Nullable Speech speech,
      @Nullable Channels channels,
      @Nullable Chunking chunking,
      @Nullable SilenceTrimming silenceTrimming)
      implements Serializable {
    public static final String GEMINI = "gemini";
    public static final String SPEECH_TO_TEXT = "speech-to-text";

    public Chunking chunkingOrDefault() {
      return chunking == null ? Chunking.DEFAULT : chunking;
    }

    public SilenceTrimming silenceTrimmingOrDefault() {
      return silenceTrimming == null ? SilenceTrimming.DEFAULT : silenceTrimming;
    }

    public Transcription {
      languageHints = languageHints == null ? List.of() : List.copyOf(languageHints);
    }

    /** The {@code ${name}} placeholders a prompt may use; the loader refuses any other. */
    public static final List<String> PROMPT_PLACEHOLDERS = List.of("speakerLabels", "languageHints", "durationSeconds");
  }

  /**
   * Who speaks on which channel of a stereo recording ({@code agent} or {@code customer}). When set, the
   * channels are transcribed apart and labelled by role, since the model would mix them into one.
   */
  public record Channels(String left, String right) implements Serializable {
    /** The role of channel {@code index} (0 is left). */
    public String role(int index) {
      return index == 0 ? left : right;
    }
  }

  /**
   * Long calls are cut into chunks of at most {@code maxChunkSeconds} of sent audio (at a quiet moment near
   * each cut), transcribed apart, and stitched; neighbouring chunks share {@code overlapSeconds}.
   */
  public record Chunking(@Nullable Integer maxChunkSeconds, @Nullable Integer overlapSeconds) implements Serializable {
    public static final Chunking DEFAULT = new Chunking(900, 5);

    public int maxChunkSecondsOrDefault() {
      return maxChunkSeconds == null ? DEFAULT.maxChunkSeconds() : maxChunkSeconds;
    }

    public int overlapSecondsOrDefault() {
      return overlapSeconds == null ? DEFAULT.overlapSeconds() : overlapSeconds;
    }
  }

  /**
   * Silence that is not sent (and not billed): before the first and after the last sound, and of every inner
   * pause longer than {@code minSilenceMillis}, all but {@code paddingMillis} on each side. Sound is anything
   * louder than {@code thresholdDbfs}.
   */
  public record SilenceTrimming(
      @Nullable Boolean enabled,
      @Nullable Double thresholdDbfs,
      @Nullable Integer minSilenceMillis,
      @Nullable Integer paddingMillis)
      implements Serializable {
    public static final SilenceTrimming DEFAULT = new SilenceTrimming(true, -45.0, 1000, 200);

    public boolean enabledOrDefault() {
      return enabled == null ? DEFAULT.enabled() : enabled;
    }

    public double thresholdDbfsOrDefault() {
      return thresholdDbfs == null ? DEFAULT.thresholdDbfs() : thresholdDbfs;
    }

    public int minSilenceMillisOrDefault() {
      return minSilenceMillis == null ? DEFAULT.minSilenceMillis() : minSilenceMillis;
    }

    public int paddingMillisOrDefault() {
      return paddingMillis == null ? DEFAULT.paddingMillis() : paddingMillis;
    }
  }

  /** The Gemini backend: the Gemini API with an API key, or Vertex AI with Application Default Credentials. */
  public record Gemini(
      String backend, @Nullable SecretRef apiKey, @Nullable String project, @Nullable String location)
      implements Serializable {
    public static final String GEMINI_API = "gemini-api";
    public static final String VERTEX_AI = "vertex-ai";

    public boolean isVertex() {
      return VERTEX_AI.equals(backend);
    }
  }

  /** Speech-to-Text v2: the project and location that bill the calls, the model, diarization bounds. */
  public record Speech(
      String project,
      String location,
      @Nullable String model,
      @Nullable String recognizer,
      @Nullable Integer minSpeakers,
      @Nullable Integer maxSpeakers)
      implements Serializable {
    public String modelOrDefault() {
      return model == null ? "chirp_3" : model;
    }

    /** The recognizer resource; {@code _} means the request's own config, no stored recognizer. */
    public String recognizerName() {
      return "projects/" + project + "/locations/" + location + "/recognizers/" + (recognizer == null ? "_" : recognizer);
    }
  }

  /** Admission limits for the model calls made on this tenant's behalf. */
  public record Quota(
      int requestsPerMinute,
      int burst,
      @Nullable Long audioSecondsPerMinute,
      @Nullable Long audioMinutesPerDay,
      @Nullable Integer callsInFlight,
      double weight,
      String overDailyCap)
      implements Serializable {}

  /** Where this tenant's rows go; absent means the pipeline's shared database. */
  public record Spanner(String project, String instance, String database) implements Serializable {}

  /**
   * The tenant's CRM and its settings; {@code kind} is none, hubspot, salesforce or webhook. {@code callUrlTemplate}
   * is the link to a call put into the CRM record, with {@code {tenantId}} and {@code {callId}} replaced; without
   * it the record links the recording itself.
   */
  public record Crm(
      String kind,
      @Nullable String callUrlTemplate,
      @Nullable HubSpot hubspot,
      @Nullable Salesforce salesforce,
      @Nullable Webhook webhook)
      implements Serializable {
    public static final String NONE = "none";
    public static final String HUBSPOT = "hubspot";
    public static final String SALESFORCE = "salesforce";
    public static final String WEBHOOK = "webhook";
  }

  /**
   * A HubSpot private app. {@code callIdProperty} is the custom call property, created with unique values, that
   * holds Parley's call id so a redelivered call updates its call object instead of creating another.
   */
  public record HubSpot(
      SecretRef accessToken, @Nullable String tier, @Nullable String baseUrl, @Nullable String callIdProperty)
      implements Serializable {
    public static final String DEFAULT_BASE_URL = "https://api.hubapi.com";
    public static final String DEFAULT_CALL_ID_PROPERTY = "parley_call_id";

    /** HubSpot's burst limit per private app: 190 requests per 10 s on Professional and Enterprise, else 100. */
    public int requestsPerTenSeconds() {
      return "professional".equals(tier) || "enterprise".equals(tier) ? 190 : 100;
    }
  }

  /** A Salesforce connected app; {@code loginUrl} is the JWT audience (login or test.salesforce.com). */
  public record Salesforce(
      String instanceUrl,
      @Nullable String apiVersion,
      String auth,
      String clientId,
      @Nullable SecretRef clientSecret,
      @Nullable String username,
      @Nullable SecretRef privateKey,
      String externalIdField,
      @Nullable String loginUrl,
      @Nullable Integer requestsPerMinute)
      implements Serializable {
    public static final String CLIENT_CREDENTIALS = "client-credentials";
    public static final String JWT_BEARER = "jwt-bearer";
    public static final String DEFAULT_API_VERSION = "v62.0";
    public static final String DEFAULT_LOGIN_URL = "https://login.salesforce.com";
    public static final int DEFAULT_REQUESTS_PER_MINUTE = 600;
  }

  /**
   * Recordings by email: the recipients whose mail the email gateway hands to this tenant, and who may send it.
   * Addresses and domains are compared without regard to case (mail systems treat them so in practice).
   */
  public record InboundEmail(
      @Nullable List<String> addresses, @Nullable List<String> domains, @Nullable List<String> allowedSenders)
      implements Serializable {
    /** The form of an {@code allowedSenders} entry that accepts a whole domain: {@code *@pbx.example}. */
    private static final String ANY_AT = "*@";

    public InboundEmail {
      addresses = MailAddresses.normalizeAll(addresses);
      domains = MailAddresses.normalizeAll(domains);
      allowedSenders = MailAddresses.normalizeAll(allowedSenders);
    }

    /** Whether mail to {@code recipient} belongs to this tenant: an exact address, or any address at a domain. */
    public boolean receives(String recipient) {
      String address = MailAddresses.normalize(recipient);
      return addresses.contains(address) || domains.contains(MailAddresses.domainOf(address));
    }

    /** Whether {@code sender} may send this tenant recordings; with no {@code allowedSenders}, anyone may. */
    public boolean allowsSender(String sender) {
      if (allowedSenders.isEmpty()) {
        return true;
      }
      String address = MailAddresses.normalize(sender);
      return allowedSenders.contains(address) || allowedSenders.contains(ANY_AT + MailAddresses.domainOf(address));
    }

    /** The recipients both configurations claim, as addresses or {@code *@domain}; empty when they are disjoint. */
    public List<String> sharedRecipients(InboundEmail other) {
      Set<String> shared = new TreeSet<>();
      addresses.stream().filter(other::receives).forEach(shared::add);
      other.addresses.stream().filter(this::receives).forEach(shared::add);
      domains.stream().filter(other.domains::contains).map(d -> ANY_AT + d).forEach(shared::add);
      return List.copyOf(shared);
    }
  }

  /** Whether this tenant's calls are matched to their agents' meetings. */
  public boolean calendarEnabled() {
    return calendar != null && calendar.enabled();
  }

  /**
   * Calendar enrichment: each call is matched to the Google Calendar event of its agent that it starts in (or that
   * starts at most {@code windowMinutes} after it), read with {@code events.list}. Credentials are a service-account
   * key with domain-wide delegation (the agent is impersonated), or per-agent OAuth refresh tokens of one OAuth
   * client. {@code calendarIdTemplate} turns the call's agent into the calendar id and the user whose calendar it
   * is; {@code {agent}} is replaced. Attendees outside {@code internalDomains} and the agent's own domain are the
   * external ones, who decide between overlapping meetings and are tried first as the CRM contact.
   */
  public record Calendar(
      boolean enabled,
      String auth,
      @Nullable SecretRef serviceAccountKey,
      @Nullable String oauthClientId,
      @Nullable SecretRef oauthClientSecret,
      @Nullable Map<String, SecretRef> refreshTokens,
      @Nullable String calendarIdTemplate,
      @Nullable Integer windowMinutes,
      @Nullable Integer requestsPerMinute,
      @Nullable List<String> internalDomains)
      implements Serializable {
    public static final String SERVICE_ACCOUNT = "service-account";
    public static final String OAUTH_REFRESH_TOKEN = "oauth-refresh-token";
    public static final String AGENT_PLACEHOLDER = "{agent}";
    public static final int DEFAULT_WINDOW_MINUTES = 15;
    public static final int DEFAULT_REQUESTS_PER_MINUTE = 120;

    public Calendar {
      Map<String, SecretRef> tokens = new TreeMap<>();
      if (refreshTokens != null) {
        refreshTokens.forEach((agent, ref) -> tokens.put(MailAddresses.normalize(agent), ref));
      }
      refreshTokens = Collections.unmodifiableMap(tokens);
      internalDomains = MailAddresses.normalizeAll(internalDomains);
    }

    /** The calendar of {@code agent}: also the user a delegated service account acts as. */
    public String calendarIdFor(String agent) {
      return (calendarIdTemplate == null ? AGENT_PLACEHOLDER : calendarIdTemplate).replace(AGENT_PLACEHOLDER, agent.strip());
    }

    /** The refresh token of the user whose calendar {@code calendarId} is, if the tenant has one. */
    public @Nullable SecretRef refreshTokenFor(String calendarId) {
      return refreshTokens.get(MailAddresses.normalize(calendarId));
    }

    /** The tenant's own mail domains as seen from {@code calendarId}: its user's domain and the configured ones. */
    public Set<String> internalDomainsOf(String calendarId) {
      Set<String> domains = new TreeSet<>(internalDomains);
      String own = MailAddresses.domainOf(MailAddresses.normalize(calendarId));
      if (!own.isEmpty()) {
        domains.add(own);
      }
      return domains;
    }

    public int windowMinutesOrDefault() {
      return windowMinutes == null ? DEFAULT_WINDOW_MINUTES : windowMinutes;
    }

    public int requestsPerMinuteOrDefault() {
      return requestsPerMinute == null ? DEFAULT_REQUESTS_PER_MINUTE : requestsPerMinute;
    }
  }

  /** A Standard Webhooks endpoint, signed with the tenant's {@code whsec_} secret. */
  public record Webhook(String url, SecretRef signingSecret, @Nullable Integer requestsPerMinute)
      implements Serializable {
    public static final int DEFAULT_REQUESTS_PER_MINUTE = 600;
  }
}
