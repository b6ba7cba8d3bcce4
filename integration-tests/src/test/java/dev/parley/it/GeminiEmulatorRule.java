package dev.parley.it;

import dev.parley.emulator.gemini.GeminiEmulator;
import dev.parley.emulator.gemini.GeminiEmulatorSettings;
import org.junit.rules.ExternalResource;

/** Runs a {@link GeminiEmulator} on a free port for the duration of a test (or a class, as a ClassRule). */
public final class GeminiEmulatorRule extends ExternalResource {
  private final GeminiEmulatorSettings initial;
  private GeminiEmulator emulator;

  public GeminiEmulatorRule() {
    this(GeminiEmulatorSettings.defaults());
  }

  public GeminiEmulatorRule(GeminiEmulatorSettings initial) {
    this.initial = initial;
  }

  @Override
  protected void before() throws Throwable {
    emulator = GeminiEmulator.start(0, initial);
  }

  @Override
  protected void after() {
    emulator.close();
  }

  public GeminiEmulator get() {
    return emulator;
  }

  public String baseUrl() {
    return emulator.baseUrl();
  }
}
