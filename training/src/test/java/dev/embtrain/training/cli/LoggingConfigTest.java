package dev.embtrain.training.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.net.URL;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.xml.XmlConfiguration;
import org.junit.jupiter.api.Test;

/**
 * The CLI's log4j2.xml parses as Log4j parses it (a "--" in an XML comment once made Log4j drop
 * it and fall back to its defaults, with an error on every command) and sets the levels it means to.
 */
class LoggingConfigTest {

    @Test
    void theShippedConfigurationLoadsWithItsLevels() throws Exception {
        URL url = getClass().getResource("/log4j2.xml");
        assertNotNull(url, "log4j2.xml is not on the class path");
        XmlConfiguration config;
        try (InputStream in = url.openStream()) {
            config = new XmlConfiguration(new LoggerContext("test"), new ConfigurationSource(in, url));
            config.initialize();
        }
        assertEquals(Level.ERROR, config.getLoggers().get("ai.djl").getLevel());
        assertEquals(Level.ERROR, config.getLoggers().get("org.apache.hadoop.util.NativeCodeLoader").getLevel());
        assertEquals(Level.OFF, config.getLoggers().get("org.apache.spark.executor.Executor").getLevel());
        assertEquals(Level.WARN, config.getRootLogger().getLevel());
    }
}
