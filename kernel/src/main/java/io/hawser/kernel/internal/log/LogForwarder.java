package io.hawser.kernel.internal.log;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/**
 * Sends what bundles log through the OSGi log service (the component runtime, Event Admin,
 * FileInstall) to the platform logger, which the launcher prints on stderr with the daemon's own
 * lines. Hawser's code logs to the platform logger directly.
 */
@Component
public final class LogForwarder implements LogListener {

    private final LogReaderService reader;

    @Activate
    public LogForwarder(@Reference LogReaderService reader) {
        this.reader = reader;
        reader.addLogListener(this);
    }

    @Deactivate
    void deactivate() {
        reader.removeLogListener(this);
    }

    @Override
    public void logged(LogEntry entry) {
        Logger logger = System.getLogger(entry.getBundle() == null ? entry.getLoggerName() : entry.getBundle().getSymbolicName());
        Level level = switch (entry.getLogLevel()) {
            case AUDIT, ERROR -> Level.ERROR;
            case WARN -> Level.WARNING;
            case INFO -> Level.INFO;
            case DEBUG -> Level.DEBUG;
            case TRACE -> Level.TRACE;
        };
        if (entry.getException() == null) {
            logger.log(level, entry.getMessage());
        } else {
            logger.log(level, entry.getMessage(), entry.getException());
        }
    }
}
