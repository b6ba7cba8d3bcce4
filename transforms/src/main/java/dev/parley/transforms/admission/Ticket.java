package dev.parley.transforms.admission;

/**
 * One call waiting for admission, or admitted. Created by the admission that put it in line
 * ({@link ProjectScheduler#enqueue}, or {@link RedisAdmission}, whose sequence is the ticket's number in Redis);
 * only that admission changes it. Start and finish tags order waiting calls by start-time fair queueing: a tenant's next call
 * starts where its previous one finished, advanced by its cost divided by its weight.
 */
public final class Ticket {
  final String tenantId;
  final CallCost cost;
  final long sequence;
  final long enqueuedNanos;
  final double startTag;
  final double finishTag;
  long grantedNanos = -1;
  boolean released;

  Ticket(String tenantId, CallCost cost, long sequence, long enqueuedNanos, double startTag, double finishTag) {
    this.tenantId = tenantId;
    this.cost = cost;
    this.sequence = sequence;
    this.enqueuedNanos = enqueuedNanos;
    this.startTag = startTag;
    this.finishTag = finishTag;
  }

  public String tenantId() {
    return tenantId;
  }

  public boolean isGranted() {
    return grantedNanos >= 0;
  }

  /** Time from enqueue to grant, once granted. */
  public long waitedNanos() {
    return isGranted() ? grantedNanos - enqueuedNanos : -1;
  }
}
