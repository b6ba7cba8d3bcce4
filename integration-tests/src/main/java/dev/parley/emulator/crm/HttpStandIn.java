package dev.parley.emulator.crm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What the HTTP stand-ins (the CRMs', Google Calendar's) share: a JDK HTTP server on 127.0.0.1, a record of every request, and scripted answers
 * for limit errors and outages: the next requests under a path get these, in order, before the stand-in's own
 * logic runs; or every request gets one answer ({@link #answerAlways}), as a service that is down.
 */
public abstract class HttpStandIn implements AutoCloseable {
  protected static final ObjectMapper JSON = new ObjectMapper();

  static {
    // The JDK server writes a response's headers and body separately: without TCP_NODELAY, Nagle's algorithm
    // and the client's delayed ACK add some 40 ms to every exchange, which a stand-in must not.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  /** A request as the stand-in saw it. */
  public record Request(String method, String path, String query, Map<String, List<String>> headers, String body) {
    public String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }
  }

  /** An answer: status, JSON body, extra headers. */
  public record Answer(int status, String body, Map<String, String> headers) {
    public static Answer of(int status, String body) {
      return new Answer(status, body, Map.of());
    }
  }

  private final HttpServer server;
  private final ExecutorService handlers = Executors.newFixedThreadPool(8, r -> {
    Thread thread = new Thread(r, "crm-stand-in");
    thread.setDaemon(true);
    return thread;
  });
  private final List<Request> requests = new ArrayList<>();
  private record Scripted(String pathPrefix, Answer answer) {}

  private final Queue<Scripted> scripted = new ConcurrentLinkedQueue<>();
  private volatile Answer always;

  protected HttpStandIn() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
    server.createContext("/", this::handle);
    server.setExecutor(handlers);
    server.start();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The next requests whose path starts with {@code pathPrefix} get these answers, in order. */
  public void script(String pathPrefix, Answer... answers) {
    for (Answer answer : answers) {
      scripted.add(new Scripted(pathPrefix, answer));
    }
  }

  /** Every request gets {@code answer} from now on; null returns to normal service. */
  public void answerAlways(Answer answer) {
    this.always = answer;
  }

  public List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** Requests whose method and path are these (the path's start). */
  public List<Request> requests(String method, String pathPrefix) {
    return requests().stream().filter(r -> r.method().equals(method) && r.path().startsWith(pathPrefix)).toList();
  }

  public void clearRequests() {
    synchronized (requests) {
      requests.clear();
    }
  }

  /** The stand-in's own answer to a request no script answered. */
  protected abstract Answer answer(Request request) throws IOException;

  private void handle(HttpExchange exchange) throws IOException {
    String body;
    try (InputStream in = exchange.getRequestBody()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
        exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders()), body);
    synchronized (requests) {
      requests.add(request);
    }
    Answer answer = always != null ? always : nextScripted(request.path());
    try {
      if (answer == null) {
        answer = answer(request);
      }
    } catch (IOException | RuntimeException e) {
      answer = Answer.of(400, "{\"message\":\"bad request: " + e.getClass().getSimpleName() + "\"}");
    }
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    answer.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private synchronized Answer nextScripted(String path) {
    for (Scripted next : scripted) {
      if (path.startsWith(next.pathPrefix())) {
        scripted.remove(next);
        return next.answer();
      }
    }
    return null;
  }

  /** An {@code application/x-www-form-urlencoded} body or query string, decoded. */
  protected static Map<String, String> form(String encoded) {
    Map<String, String> form = new LinkedHashMap<>();
    for (String pair : encoded.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return form;
  }

  protected static JsonNode json(String body) throws IOException {
    return JSON.readTree(body.isEmpty() ? "{}" : body);
  }

  @Override
  public void close() {
    server.stop(0);
    handlers.shutdownNow();
  }
}
