package dev.parley.transforms;

import java.io.Serializable;
import java.util.Optional;

/**
 * The drop-folder convention: a recording at {@code {root}/{tenantId}/...} belongs to {@code tenantId}. The
 * root is a gs:// prefix or a local folder.
 */
public final class DropFolderLayout implements Serializable {
  private final String root;

  private DropFolderLayout(String root) {
    this.root = root.endsWith("/") ? root : root + "/";
  }

  public static DropFolderLayout at(String root) {
    return new DropFolderLayout(root.startsWith("file://") ? root.substring("file://".length()) : root);
  }

  public String root() {
    return root;
  }

  /** The tenant folder of {@code uri}, or empty when it is not inside a tenant folder of this root. */
  public Optional<String> tenantOf(String uri) {
    String location = uri.startsWith("file://") ? uri.substring("file://".length()) : uri;
    if (!location.startsWith(root)) {
      return Optional.empty();
    }
    String rest = location.substring(root.length());
    int slash = rest.indexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      return Optional.empty();
    }
    return Optional.of(rest.substring(0, slash));
  }
}
