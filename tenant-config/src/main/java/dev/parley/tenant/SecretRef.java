package dev.parley.tenant;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.io.Serializable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a secret lives, never the secret: {@code sm://projects/P/secrets/S[/versions/V]} (Secret Manager),
 * {@code env://NAME} or {@code file://PATH} (local runs). Safe to log, store and put in dead letters.
 */
public final class SecretRef implements Serializable {
  /** The form the JSON Schema also enforces; kept here so code that builds refs checks the same thing. */
  private static final Pattern FORM =
      Pattern.compile(
          "^(sm)://(projects/[a-z][-a-z0-9]{4,28}[a-z0-9]/secrets/[A-Za-z0-9_-]{1,255}(?:/versions/(?:latest|[0-9]+))?)$"
              + "|^(env)://([A-Za-z_][A-Za-z0-9_]*)$"
              + "|^(file)://(\\S+)$");

  public enum Kind {
    SECRET_MANAGER,
    ENV,
    FILE
  }

  private final String uri;
  private final Kind kind;
  private final String target;

  private SecretRef(String uri, Kind kind, String target) {
    this.uri = uri;
    this.kind = kind;
    this.target = target;
  }

  @JsonCreator
  public static SecretRef parse(String uri) {
    Matcher m = FORM.matcher(uri == null ? "" : uri);
    if (!m.matches()) {
      // The text may be a secret pasted in by mistake: do not repeat it.
      throw new IllegalArgumentException(
          "not a secret reference: expected sm://projects/P/secrets/S[/versions/V], env://NAME or file://PATH");
    }
    if (m.group(1) != null) {
      String name = m.group(2);
      return new SecretRef(uri, Kind.SECRET_MANAGER, name.contains("/versions/") ? name : name + "/versions/latest");
    }
    if (m.group(3) != null) {
      return new SecretRef(uri, Kind.ENV, m.group(4));
    }
    return new SecretRef(uri, Kind.FILE, m.group(6));
  }

  public Kind kind() {
    return kind;
  }

  /** The Secret Manager version name, the variable name or the file path. */
  public String target() {
    return target;
  }

  @JsonValue
  public String uri() {
    return uri;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretRef other && other.uri.equals(uri);
  }

  @Override
  public int hashCode() {
    return uri.hashCode();
  }

  @Override
  public String toString() {
    return uri;
  }
}
