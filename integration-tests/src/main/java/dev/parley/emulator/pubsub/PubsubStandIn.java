package dev.parley.emulator.pubsub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A local Pub/Sub speaking the REST API that Beam's {@code PubsubIO} uses with {@code --pubsubRootUrl}: get a
 * subscription, pull, acknowledge, modify ack deadlines, publish. Messages not acknowledged within their deadline
 * are delivered again, as the real service does. A share of publishes can be stored twice under two message ids
 * ({@link #duplicatePublishes}), as when a publisher retries a publish whose answer it lost: a consumer cannot
 * tell the copies apart by message id, only by what they say.
 *
 * <p>One topic per subscription: publishing to {@code projects/P/topics/T} delivers to every subscription of T.
 */
public final class PubsubStandIn implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SUBSCRIPTION =
      Pattern.compile("^/v1/(projects/[^/]+/subscriptions/[^/:]+)(?::(pull|acknowledge|modifyAckDeadline))?$");
  private static final Pattern TOPIC = Pattern.compile("^/v1/(projects/[^/]+/topics/[^/:]+):publish$");
  static final int ACK_DEADLINE_SECONDS = 30;

  private record Message(String id, String data, Map<String, String> attributes, Instant published) {}

  private static final class Lease {
    final Message message;
    long visibleAtMillis;
    String ackId;
    int deliveries;

    Lease(Message message) {
      this.message = message;
    }
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread thread = new Thread(r, "pubsub-stand-in");
    thread.setDaemon(true);
    return thread;
  });
  private final Map<String, String> topicOf = new LinkedHashMap<>();
  private final Map<String, List<Lease>> queues = new LinkedHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final Random random = new Random(7);
  private double duplicatePublishes;
  private long deliveries;
  private long acknowledged;
  private long duplicated;

  private PubsubStandIn() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
    server.createContext("/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  public static PubsubStandIn start() throws IOException {
    return new PubsubStandIn();
  }

  /** The value for {@code --pubsubRootUrl}. */
  public String rootUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public synchronized void createSubscription(String subscription, String topic) {
    topicOf.put(subscription, topic);
    queues.put(subscription, new ArrayList<>());
  }

  /** Each publish is stored twice, under two message ids, with this probability. */
  public synchronized void duplicatePublishes(double probability) {
    this.duplicatePublishes = probability;
  }

  /** Publishes to every subscription of {@code topic}; returns the message id. */
  public synchronized String publish(String topic, byte[] data, Map<String, String> attributes) {
    String id = store(topic, data, attributes);
    if (random.nextDouble() < duplicatePublishes) {
      duplicated++;
      store(topic, data, attributes);
    }
    return id;
  }

  private String store(String topic, byte[] data, Map<String, String> attributes) {
    Message message = new Message(Long.toString(ids.incrementAndGet()), Base64.getEncoder().encodeToString(data),
        Map.copyOf(attributes), Instant.now());
    topicOf.forEach((subscription, t) -> {
      if (t.equals(topic)) {
        queues.get(subscription).add(new Lease(message));
      }
    });
    return message.id();
  }

  /** Messages acknowledged and not due again: what a consumer has finished with. */
  public synchronized boolean drained(String subscription) {
    return queues.get(subscription).isEmpty();
  }

  public synchronized long deliveries() {
    return deliveries;
  }

  public synchronized long acknowledged() {
    return acknowledged;
  }

  /** Publishes stored twice. */
  public synchronized long duplicated() {
    return duplicated;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      String path = exchange.getRequestURI().getPath();
      Matcher subscription = SUBSCRIPTION.matcher(path);
      Matcher topic = TOPIC.matcher(path);
      JsonNode body = readBody(exchange);
      if (topic.matches()) {
        ArrayNode ids = JSON.createArrayNode();
        for (JsonNode m : body.path("messages")) {
          Map<String, String> attributes = new LinkedHashMap<>();
          m.path("attributes").fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
          ids.add(publish(topic.group(1), Base64.getDecoder().decode(m.path("data").asText("")), attributes));
        }
        send(exchange, 200, JSON.createObjectNode().set("messageIds", ids));
      } else if (subscription.matches() && queues.containsKey(subscription.group(1))) {
        String name = subscription.group(1);
        String verb = subscription.group(2);
        if (verb == null) {
          send(exchange, 200, JSON.createObjectNode().put("name", name).put("topic", topicOf.get(name))
              .put("ackDeadlineSeconds", ACK_DEADLINE_SECONDS));
        } else if (verb.equals("pull")) {
          send(exchange, 200, pull(name, body.path("maxMessages").asInt(100)));
        } else if (verb.equals("acknowledge")) {
          body.path("ackIds").forEach(id -> acknowledge(name, id.asText()));
          send(exchange, 200, JSON.createObjectNode());
        } else {
          int seconds = body.path("ackDeadlineSeconds").asInt(ACK_DEADLINE_SECONDS);
          body.path("ackIds").forEach(id -> extend(name, id.asText(), seconds));
          send(exchange, 200, JSON.createObjectNode());
        }
      } else {
        send(exchange, 404, JSON.createObjectNode().set("error",
            JSON.createObjectNode().put("code", 404).put("message", "Resource not found").put("status", "NOT_FOUND")));
      }
    } catch (RuntimeException e) {
      send(exchange, 400, JSON.createObjectNode().set("error",
          JSON.createObjectNode().put("code", 400).put("message", e.toString()).put("status", "INVALID_ARGUMENT")));
    }
  }

  private synchronized ObjectNode pull(String subscription, int max) {
    long now = System.currentTimeMillis();
    ObjectNode out = JSON.createObjectNode();
    ArrayNode received = JSON.createArrayNode();
    for (Lease lease : queues.get(subscription)) {
      if (received.size() >= max) {
        break;
      }
      if (lease.visibleAtMillis > now) {
        continue;
      }
      lease.ackId = subscription + "#" + lease.message.id() + "#" + (++lease.deliveries);
      lease.visibleAtMillis = now + ACK_DEADLINE_SECONDS * 1000L;
      deliveries++;
      ObjectNode message = JSON.createObjectNode()
          .put("data", lease.message.data())
          .put("messageId", lease.message.id())
          .put("publishTime", lease.message.published().toString());
      ObjectNode attributes = message.putObject("attributes");
      lease.message.attributes().forEach(attributes::put);
      received.addObject().put("ackId", lease.ackId).set("message", message);
    }
    if (!received.isEmpty()) {
      out.set("receivedMessages", received);
    }
    return out;
  }

  private synchronized void acknowledge(String subscription, String ackId) {
    List<Lease> queue = queues.get(subscription);
    for (Lease lease : queue) {
      if (ackId.equals(lease.ackId)) {
        acknowledged++;
        queue.remove(lease);
        return;
      }
    }
  }

  private synchronized void extend(String subscription, String ackId, int seconds) {
    for (Lease lease : queues.get(subscription)) {
      if (ackId.equals(lease.ackId)) {
        lease.visibleAtMillis = System.currentTimeMillis() + seconds * 1000L;
      }
    }
  }

  private static JsonNode readBody(HttpExchange exchange) throws IOException {
    InputStream in = exchange.getRequestBody();
    if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
      in = new GZIPInputStream(in);
    }
    byte[] bytes = in.readAllBytes();
    return bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
