package dev.parley.model;

/** An element that belongs to one call of one tenant: what the sinks route, key and dead-letter by. */
public interface CallKeyed {
  String getTenantId();

  String getCallId();
}
