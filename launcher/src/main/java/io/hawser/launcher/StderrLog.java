package io.hawser.launcher;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * The daemon's log: one line per record on stderr, with time, level and source. Hawser's bundles
 * log through the platform logger, which ends here; the framework's own messages come through
 * {@link FrameworkLog}.
 */
final class StderrLog {

    private StderrLog() {}

    /** Routes the platform logger to stderr, printing records at {@code level} and above. */
    static void install(Level level) {
        LogManager.getLogManager().reset();
        Handler handler = new ConsoleHandler();
        handler.setLevel(level);
        handler.setFormatter(new LineFormatter());
        Logger root = Logger.getLogger("");
        root.setLevel(level);
        root.addHandler(handler);
    }

    /** {@code 2026-11-23T08:00:00.123Z INFO  [io.hawser.kernel] message}. */
    static final class LineFormatter extends Formatter {
        @Override
        public String format(LogRecord record) {
            StringBuilder line = new StringBuilder(128)
                    .append(Instant.ofEpochMilli(record.getMillis()))
                    .append(' ').append(String.format("%-5s", name(record.getLevel())))
                    .append(" [").append(record.getLoggerName()).append("] ")
                    .append(formatMessage(record)).append('\n');
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                line.append(trace);
            }
            return line.toString();
        }

        private static String name(Level level) {
            if (level.intValue() >= Level.SEVERE.intValue()) {
                return "ERROR";
            } else if (level.intValue() >= Level.WARNING.intValue()) {
                return "WARN";
            } else if (level.intValue() >= Level.INFO.intValue()) {
                return "INFO";
            } else if (level.intValue() >= Level.FINE.intValue()) {
                return "DEBUG";
            }
            return "TRACE";
        }
    }

    /** Felix's framework logger, sent to the same log instead of stdout. */
    static final class FrameworkLog extends org.apache.felix.framework.Logger {
        private final Logger logger = Logger.getLogger("org.apache.felix.framework");

        @Override
        protected void doLog(Bundle bundle, @SuppressWarnings("rawtypes") ServiceReference sr, int level, String msg, Throwable throwable) {
            Level julLevel = switch (level) {
                case LOG_ERROR -> Level.SEVERE;
                case LOG_WARNING -> Level.WARNING;
                case LOG_INFO -> Level.INFO;
                default -> Level.FINE;
            };
            String source = bundle == null ? msg : "[" + bundle.getSymbolicName() + "] " + msg;
            logger.log(julLevel, source, throwable);
        }
    }
}
