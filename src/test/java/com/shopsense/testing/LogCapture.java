package com.shopsense.testing;

import java.io.StringWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Everything this JVM logs while open (the MiniCluster's TaskManagers included), with the Kafka clients and
 * the Kafka connector turned up to INFO, where they print their full configuration; those go to the capture
 * only, not the console. For "secrets are never logged" checks. Closing reloads the test log configuration.
 */
public final class LogCapture implements AutoCloseable {
    private static final String[] KAFKA_LOGGERS = {"org.apache.kafka", "org.apache.flink.connector.kafka"};
    private final StringWriter out = new StringWriter();
    private final LoggerContext ctx = (LoggerContext) LogManager.getContext(false);

    public LogCapture() {
        Configuration conf = ctx.getConfiguration();
        Appender a = WriterAppender.newBuilder().setName("capture").setTarget(out)
                .setLayout(PatternLayout.newBuilder().withPattern("%c %m %throwable%n").build()).build();
        a.start();
        conf.addAppender(a);
        conf.getRootLogger().addAppender(a, Level.ALL, null); // the test configuration's loggers are all additive
        for (String name : KAFKA_LOGGERS) {
            conf.removeLogger(name);
            LoggerConfig lc = new LoggerConfig(name, Level.INFO, false);
            lc.addAppender(a, Level.ALL, null);
            conf.addLogger(name, lc);
        }
        ctx.updateLoggers();
    }

    public synchronized String text() {
        return out.toString();
    }

    @Override
    public void close() {
        ctx.reconfigure();
    }
}
