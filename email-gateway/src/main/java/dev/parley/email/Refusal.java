package dev.parley.email;

import java.util.Locale;

/**
 * Why a post is not (fully) taken, and what SendGrid is told. SendGrid retries any 4xx or 5xx for up to three
 * days and stops on 2xx, so the status is chosen by whether a retry could ever succeed:
 *
 * <ul>
 *   <li>Authentication failures answer 401/403: a forged post is not SendGrid's to retry, and if our key or
 *       token is misconfigured, SendGrid's retries keep the mail until it is fixed.
 *   <li>A post over the size limit answers 413 and an unreadable one 400: the same three days give an operator
 *       time to raise the limit or fix the parser before the mail is lost.
 *   <li>Mail that the tenant configuration refuses (no tenant for the recipient, a sender the tenant does not
 *       allow) answers 200 and is dropped and counted: the same mail would be refused on every retry, so
 *       retrying only adds load. A tenant added later receives mail from then on.
 * </ul>
 */
public enum Refusal {
  MISSING_TOKEN(401),
  BAD_TOKEN(401),
  MISSING_SIGNATURE(403),
  BAD_SIGNATURE(403),
  STALE_TIMESTAMP(403),
  TOO_LARGE(413),
  MALFORMED(400),
  UNKNOWN_RECIPIENT(200),
  SENDER_NOT_ALLOWED(200);

  private final int status;

  Refusal(int status) {
    this.status = status;
  }

  /** The HTTP status SendGrid gets. */
  public int status() {
    return status;
  }

  /** The metric label and the word in logs and answers: {@code bad_signature}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
