package dev.parley.transforms.admission;

/**
 * The shared admission store could not be reached for long enough that waiting on is pointless. Admission fails
 * closed: no call is made without it, and the runner retries the work (a streaming job keeps it in state).
 */
public final class AdmissionUnavailableException extends RuntimeException {
  AdmissionUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
