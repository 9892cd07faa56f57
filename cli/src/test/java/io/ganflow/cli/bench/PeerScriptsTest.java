package io.ganflow.cli.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The peer scripts travel with the bench's classes and are copied out whole (no Python runs here). */
class PeerScriptsTest {
    @Test
    void everyPeerScriptIsFoundAndCopied() throws Exception {
        Path dir = PeerProcess.scripts();
        for (String name : PeerProcess.SCRIPTS) {
            Path p = dir.resolve(name);
            assertTrue(Files.size(p) > 100, name + " was not copied");
            assertTrue(Files.readString(p).contains("import"), name + " is not a Python script");
        }
        assertTrue(Files.readString(dir.resolve("image_steps.py")).contains("\"ddpm\""), "the ddpm suite's peer");
    }
}
