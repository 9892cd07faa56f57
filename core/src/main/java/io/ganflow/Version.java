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

    /**
     * The commit ganflow was built from (with "-dirty" when the build had uncommitted changes), baked in at
     * build time; "unknown" for a build outside a git checkout.
     */
    public static String gitCommit() {
        String c = PROPS.getProperty("git.commit", "");
        if (c.isBlank() || c.startsWith("${")) {
            return "unknown";
        }
        return "true".equals(PROPS.getProperty("git.dirty")) ? c + "-dirty" : c;
    }

    public static String pytorchPreset() {
        return PROPS.getProperty("pytorch", "unknown");
    }
}
