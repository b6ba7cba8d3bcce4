package dev.parley.tools;

import dev.parley.tools.bench.AudioBench;
import dev.parley.tools.bench.EngineBench;
import dev.parley.tools.bench.QuotaBench;
import dev.parley.tools.bench.SinksBench;
import dev.parley.tools.reliability.ReliabilityScenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./parley bench ...}: benchmarks that print their figures; each ends with one summary line. */
@Command(name = "bench", description = "Benchmarks; each prints its figures and ends with one summary line.",
    subcommands = {BenchCommand.Engine.class, BenchCommand.Quota.class, BenchCommand.Sinks.class, BenchCommand.Audio.class,
        BenchCommand.Reliability.class})
public final class BenchCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  static Path workdir(String name) throws java.io.IOException {
    return Files.createTempDirectory("parley-bench-" + name);
  }

  @Command(name = "engine", mixinStandardHelpOptions = true,
      description = "Transcribe stage throughput through the emulator, and heap per call for 100 MB recordings.")
  static final class Engine implements Callable<Integer> {
    @Option(names = "--calls", defaultValue = "2000") int calls;
    @Option(names = "--in-flight", defaultValue = "64") int inFlight;
    @Option(names = "--latency-ms", defaultValue = "500") long latencyMs;
    @Option(names = "--concurrent", defaultValue = "4", description = "100 MB recordings in flight at once.") int concurrent;
    @Option(names = "--big-mb", defaultValue = "100") long bigMb;

    @Override
    public Integer call() throws Exception {
      Path dir = workdir("engine");
      try {
        System.out.println(new EngineBench(calls, inFlight, latencyMs, concurrent, bigMb * 1_000_000).run(dir));
        return 0;
      } finally {
        Folders.deleteRecursively(dir);
      }
    }
  }

  @Command(name = "quota", mixinStandardHelpOptions = true, description = {
      "Admission in real time against the emulator's project limit: fairness, utilization, 429s, quiet-tenant",
      "delay, against a naive baseline; then a batch backfill."})
  static final class Quota implements Callable<Integer> {
    @Option(names = "--project-rpm", defaultValue = "120") int projectRpm;
    @Option(names = "--seconds", defaultValue = "150", description = "Length of each streaming run.") int seconds;
    @Option(names = "--warmup-seconds", defaultValue = "30") int warmup;
    @Option(names = "--batch-calls", defaultValue = "180") int batchCalls;

    @Override
    public Integer call() throws Exception {
      Path dir = workdir("quota");
      try {
        System.out.println(new QuotaBench(projectRpm, org.joda.time.Duration.standardSeconds(seconds),
            org.joda.time.Duration.standardSeconds(warmup), batchCalls).run(dir));
        return 0;
      } finally {
        Folders.deleteRecursively(dir);
      }
    }
  }

  @Command(name = "sinks", mixinStandardHelpOptions = true, description = {
      "Calls per second per core through the Spanner sink and the CRM sink against the local stand-ins,",
      "and the heap one call in flight holds."})
  static final class Sinks implements Callable<Integer> {
    @Option(names = "--seconds", defaultValue = "6", description = "Steady-state seconds per sink. Default: ${DEFAULT-VALUE}")
    int seconds;

    @Option(names = "--segments", defaultValue = "40", description = "Speaker turns per call. Default: ${DEFAULT-VALUE}")
    int segments;

    @Override
    public Integer call() throws Exception {
      Path dir = workdir("sinks");
      try {
        System.out.println(new SinksBench(seconds, segments).run(dir));
        return 0;
      } finally {
        Folders.deleteRecursively(dir);
      }
    }
  }

  @Command(name = "audio", mixinStandardHelpOptions = true,
      description = "Per format: header probes/s, decoding speed (x real time, one core), heap per recording in "
          + "preparation; trimming on calls with 30% silence.")
  static final class Audio implements Callable<Integer> {
    @Option(names = "--silence-calls", defaultValue = "10", description = "3-minute calls in the silence set.")
    int silenceCalls;
    @Option(names = "--concurrent", defaultValue = "4", description = "Recordings prepared at once for the heap figure.")
    int concurrent;

    @Override
    public Integer call() throws Exception {
      Path fixtures = Path.of(System.getProperty("parley.home", "."), "transforms", "src", "test", "resources", "audio");
      Path dir = workdir("audio");
      try {
        System.out.println(new AudioBench(fixtures, silenceCalls, concurrent).run(dir));
        return 0;
      } finally {
        Folders.deleteRecursively(dir);
      }
    }
  }

  @Command(name = "reliability", mixinStandardHelpOptions = true, description = {
      "The streaming job fed good recordings of many tenants and every kind of bad input through both doors, while",
      "the stand-ins fail (model 429/5xx/timeouts/cut JSON, Spanner ABORTED/UNAVAILABLE, webhooks down, Pub/Sub",
      "duplicates): what was stored, dead-lettered, lost or written twice, tenant crossings, secrets in the output."})
  static final class Reliability implements Callable<Integer> {
    @Option(names = "--tenants", defaultValue = "40", description = "Tenants on the Gemini API, each with its own key and webhook. Default: ${DEFAULT-VALUE}")
    int tenants;
    @Option(names = "--good-per-tenant", defaultValue = "24", description = "Good recordings per tenant. Default: ${DEFAULT-VALUE}")
    int goodPerTenant;
    @Option(names = "--bad-rounds", defaultValue = "3", description = "Sets of every kind of bad input. Default: ${DEFAULT-VALUE}")
    int badRounds;
    @Option(names = "--feed-seconds", defaultValue = "240", description = "Time over which the inputs arrive. Default: ${DEFAULT-VALUE}")
    int feedSeconds;
    @Option(names = "--latency-ms", defaultValue = "800", description = "The model's fixed latency. Default: ${DEFAULT-VALUE}")
    long latencyMs;

    @Override
    public Integer call() throws Exception {
      Path fixtures = Path.of(System.getProperty("parley.home", "."), "transforms", "src", "test", "resources", "audio");
      ReliabilityScenario.Settings large = ReliabilityScenario.Settings.large(fixtures);
      ReliabilityScenario.Settings settings = new ReliabilityScenario.Settings(tenants, goodPerTenant, badRounds,
          java.time.Duration.ofSeconds(feedSeconds), large.tenantsWithCrmOutage(), large.crmOutageStart(),
          large.crmOutage(), latencyMs, large.latencyMillisPerAudioSecond(), large.faultRate(),
          large.spannerFaultRate(), large.pubsubDuplicateRate(), large.deadline(), fixtures);
      Path dir = workdir("reliability");
      try {
        System.out.println(new ReliabilityScenario(settings).run(dir));
        return 0;
      } finally {
        Folders.deleteRecursively(dir);
      }
    }
  }
}
