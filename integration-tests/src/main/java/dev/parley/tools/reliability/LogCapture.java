package dev.parley.tools.reliability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * Everything logged while the scenario runs, Parley at DEBUG and libraries at INFO, with key-values, MDC and
 * stack traces, written to a file instead of the console and scanned for secrets as it comes. The console
 * appenders are detached meanwhile and the levels restored afterwards.
 */
final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private final SecretScan secrets;
  private final BufferedWriter file;
  private final AtomicLong events = new AtomicLong();
  private final List<String> leaks = new ArrayList<>();
  private final LoggerContext context;
  private final Logger root;
  private final Logger parley;
  private final Level rootLevel;
  private final Level parleyLevel;
  private final List<Appender<ILoggingEvent>> detached = new ArrayList<>();

  private LogCapture(SecretScan secrets, Path file) throws IOException {
    this.secrets = secrets;
    this.file = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    this.context = (LoggerContext) LoggerFactory.getILoggerFactory();
    this.root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    this.parley = context.getLogger("dev.parley");
    this.rootLevel = root.getLevel();
    this.parleyLevel = parley.getLevel();
  }

  static LogCapture start(SecretScan secrets, Path file) throws IOException {
    LogCapture capture = new LogCapture(secrets, file);
    capture.setContext(capture.context);
    capture.setName("reliability-capture");
    capture.start();
    for (Iterator<Appender<ILoggingEvent>> it = capture.root.iteratorForAppenders(); it.hasNext(); ) {
      capture.detached.add(it.next());
    }
    capture.detached.forEach(capture.root::detachAppender);
    capture.root.addAppender(capture);
    capture.root.setLevel(Level.INFO);
    capture.parley.setLevel(Level.DEBUG);
    return capture;
  }

  @Override
  protected void append(ILoggingEvent event) {
    StringBuilder line = new StringBuilder().append(event.getLevel()).append(' ').append(event.getThreadName())
        .append(' ').append(event.getLoggerName());
    if (event.getKeyValuePairs() != null) {
      event.getKeyValuePairs().forEach(kv -> line.append(' ').append(kv.key).append('=').append(kv.value));
    }
    event.getMDCPropertyMap().forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
    line.append(" - ").append(event.getFormattedMessage());
    if (event.getThrowableProxy() != null) {
      line.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
    }
    String text = line.toString();
    events.incrementAndGet();
    String found = secrets.find(text);
    synchronized (this) {
      if (found != null) {
        leaks.add(event.getLoggerName() + " logged " + found);
      }
      try {
        file.write(text);
        file.newLine();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  long events() {
    return events.get();
  }

  /** Where a secret was logged: the logger and which secret, never the secret itself. */
  synchronized List<String> leaks() {
    return List.copyOf(leaks);
  }

  @Override
  public void close() throws IOException {
    root.detachAppender(this);
    detached.forEach(root::addAppender);
    root.setLevel(rootLevel);
    parley.setLevel(parleyLevel);
    stop();
    synchronized (this) {
      file.close();
    }
  }
}
