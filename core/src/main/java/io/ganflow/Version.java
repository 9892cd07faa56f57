package io.ganflow;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Build-time facts: the ganflow version and the libtorch preset version it was built against. */
public final class Version {
    private static final Properties PROPS = load();

    private Version() {}

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall through to defaults
        }
        return p;
    }

    public static String ganflow() {
        return PROPS.getProperty("version", "unknown");
    }

    public static String pytorchPreset() {
        return PROPS.getProperty("pytorch", "unknown");
    }
}
