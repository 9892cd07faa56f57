package io.ganflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {
    @TempDir
    Path dir;

    Path csv(String name, double shift, long seed) throws Exception {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder("x,y\n");
        for (int i = 0; i < 300; i++) {
            b.append(r.nextGaussian() + shift).append(',').append(r.nextGaussian()).append('\n');
        }
        Path p = dir.resolve(name);
        Files.writeString(p, b.toString());
        return p;
    }

    @Test
    void csvAgainstCsvWritesEveryMetricWithItsProtocol() throws Exception {
        Path out = dir.resolve("e.json");
        CliTestSupport.Result r = CliTestSupport.run("eval", "--real", csv("a.csv", 0, 1).toString(), "--fake",
                csv("b.csv", 3, 2).toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(out.toFile());
        for (String k : new String[] {"w1", "w2", "sinkhorn", "sliced_w2", "mmd2", "knn_kl", "precision", "recall",
            "density", "coverage", "frechet"}) {
            assertTrue(j.get("metrics").has(k), k);
            assertTrue(j.get("metrics").get(k).get("protocol").asText().length() > 10, k + " has a protocol");
        }
        double w1 = j.get("metrics").get("w1").get("value").asDouble();
        assertTrue(w1 > 2.5 && w1 < 3.5, "a shift of 3 moves W1 near 3: " + w1);
        assertTrue(r.out().contains("w1"), r.out());
    }

    @Test
    void badArgumentsAreOneLineErrors() throws Exception {
        CliTestSupport.Result r = CliTestSupport.run("eval", "--real", csv("a.csv", 0, 1).toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--real and --fake go together") || r.err().contains("give either"), r.err());
        r = CliTestSupport.run("eval", "--real", csv("a.csv", 0, 1).toString(), "--fake", csv("b.csv", 0, 2).toString(),
                "--metrics", "w1,fid");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown metric 'fid'"), r.err());
    }
}
