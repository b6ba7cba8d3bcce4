package dev.parley.transforms.admission;

import dev.parley.tenant.SecretRef;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Where the shared admission state lives: {@code redis://host:port[/db]} or, with TLS, {@code rediss://host:port[/db]};
 * the AUTH string, if the instance wants one, as a secret reference (never in the URI: pipeline options are shown
 * in the Dataflow console). Every job that spends the same Google quota must name the same instance and key prefix,
 * or they will not see each other's calls; a separate prefix (or database) keeps, say, staging apart.
 *
 * <p>Memorystore for Redis: use the instance's primary endpoint, from a VPC the workers are on (the Dataflow
 * {@code --network}/{@code --subnetwork}). With AUTH enabled, put the AUTH string in Secret Manager and pass
 * {@code sm://projects/P/secrets/S}. With in-transit encryption, use {@code rediss://} on port 6378 and add the
 * instance's server CA to the workers' trust store (the JVM's default trust store is used). Redis 5 or later.
 */
public record RedisEndpoint(String uri, @Nullable SecretRef auth, String keyPrefix) implements Serializable {
  public static final String DEFAULT_KEY_PREFIX = "parley";
  static final int DEFAULT_PORT = 6379;

  public RedisEndpoint {
    URI parsed = parse(uri);
    if (parsed.getUserInfo() != null) {
      throw new IllegalArgumentException("the Redis URI must not carry credentials: put the AUTH string in a secret "
          + "and pass its reference (sm://..., env://... or file://...) instead");
    }
    if (keyPrefix.isBlank() || keyPrefix.contains("{") || keyPrefix.contains("}")) {
      throw new IllegalArgumentException("a Redis key prefix is a non-blank name without braces: " + keyPrefix);
    }
  }

  public static RedisEndpoint of(String uri, @Nullable SecretRef auth) {
    return new RedisEndpoint(uri, auth, DEFAULT_KEY_PREFIX);
  }

  public RedisEndpoint withKeyPrefix(String prefix) {
    return new RedisEndpoint(uri, auth, prefix);
  }

  String host() {
    return parse(uri).getHost();
  }

  int port() {
    int port = parse(uri).getPort();
    return port < 0 ? DEFAULT_PORT : port;
  }

  boolean tls() {
    return parse(uri).getScheme().equals("rediss");
  }

  int database() {
    String path = parse(uri).getPath();
    return path == null || path.isEmpty() || path.equals("/") ? 0 : Integer.parseInt(path.substring(1));
  }

  /** Accepts {@code host:port} too, as the shorthand of {@code redis://host:port}. */
  private static URI parse(String uri) {
    String full = uri.contains("://") ? uri : "redis://" + uri;
    try {
      URI parsed = new URI(full);
      if (!(parsed.getScheme().equals("redis") || parsed.getScheme().equals("rediss")) || parsed.getHost() == null) {
        throw new IllegalArgumentException("not a Redis address: " + uri
            + " (expected redis://host:port[/db], rediss://host:port[/db] or host:port)");
      }
      String path = parsed.getPath();
      if (path != null && !path.isEmpty() && !path.matches("/[0-9]{0,2}")) {
        throw new IllegalArgumentException("the path of a Redis URI is a database number: " + uri);
      }
      return parsed;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a Redis address: " + uri, e);
    }
  }
}
