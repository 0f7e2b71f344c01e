package dev.roomtone.server;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Drops Pekko's stack trace for a failed bind: {@link ListenFailedException} already tells the
 * operator in one line what went wrong and what to do.
 */
public final class BindFailureLogFilter extends Filter<ILoggingEvent> {

  private static final String LOGGER = "org.apache.pekko.io.TcpListener";

  @Override
  public FilterReply decide(ILoggingEvent event) {
    boolean bindFailure = LOGGER.equals(event.getLoggerName())
        && event.getFormattedMessage() != null
        && event.getFormattedMessage().startsWith("Bind failed");
    return bindFailure ? FilterReply.DENY : FilterReply.NEUTRAL;
  }
}
