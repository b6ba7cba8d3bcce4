package dev.parley.tools;

import dev.parley.emulator.gemini.GeminiEmulator;
import dev.parley.emulator.gemini.GeminiEmulatorSettings;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./parley emulator gemini --port N}: the local stand-ins, runnable on their own. */
@Command(name = "emulator", description = "Local stand-ins of the cloud services.",
    subcommands = EmulatorCommand.Gemini.class)
public final class EmulatorCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(name = "gemini", mixinStandardHelpOptions = true, description = {
      "Serves the Gemini API and Vertex AI generateContent/countTokens paths on 127.0.0.1.",
      "Point Parley at it with --geminiEndpoint=http://127.0.0.1:PORT.",
      "GET /emulator/requests lists every request; POST /emulator/transcripts {\"<sha256>\":\"text\"} registers answers."})
  static final class Gemini implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "8089", description = "Port (0: any free port). Default: ${DEFAULT-VALUE}")
    int port;

    @Option(names = "--rpm", defaultValue = "0", description = "Requests per minute per API key (0: unlimited).")
    int rpm;

    @Option(names = "--tpm", defaultValue = "0", description = "Input tokens per minute per API key (0: unlimited).")
    long tpm;

    @Option(names = "--rpd", defaultValue = "0", description = "Requests per day per API key (0: unlimited).")
    int rpd;

    @Option(names = "--latency-ms", defaultValue = "0", description = "Fixed latency of each answer.")
    long latencyMs;

    @Option(names = "--latency-ms-per-audio-second", defaultValue = "0", description = "Added latency per second of audio.")
    double latencyPerSecond;

    @Option(names = "--fault-429", defaultValue = "0", description = "Share of requests answered 429 with RetryInfo.")
    double rate429;

    @Option(names = "--fault-500", defaultValue = "0", description = "Share of requests answered 500.")
    double rate500;

    @Option(names = "--fault-503", defaultValue = "0", description = "Share of requests answered 503.")
    double rate503;

    @Option(names = "--fault-timeout", defaultValue = "0", description = "Share of requests never answered.")
    double rateTimeout;

    @Option(names = "--fault-malformed", defaultValue = "0", description = "Share of answers cut mid-JSON.")
    double rateMalformed;

    @Override
    public Integer call() throws Exception {
      GeminiEmulatorSettings settings = GeminiEmulatorSettings.builder()
          .limits(rpm, tpm)
          .requestsPerDay(rpd)
          .latency(latencyMs, latencyPerSecond)
          .faults(rate429, rate500, rate503, rateTimeout, rateMalformed)
          .build();
      try (GeminiEmulator emulator = GeminiEmulator.start(port, settings)) {
        System.out.println("Gemini emulator listening on " + emulator.baseUrl() + " (Ctrl-C to stop)");
        new CountDownLatch(1).await();
      }
      return 0;
    }
  }
}
