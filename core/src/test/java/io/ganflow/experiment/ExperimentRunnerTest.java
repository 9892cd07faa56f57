package io.ganflow.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ganflow.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The experiment framework: seeds, aggregation, the folder's files, verdict.json, bad input. */
class ExperimentRunnerTest {
    /** Measures seed + 1 and 2·seed for two conditions; holds when the mean of "a" at x = 1 is at least 1. */
    static class Fake implements Experiment {
        final List<Long> seen = new ArrayList<>();

        @Override
        public String claim() {
            return "a fake claim";
        }

        @Override
        public String source() {
            return "nowhere";
        }

        @Override
        public String threshold() {
            return "mean a at x = 1 ≥ 1";
        }

        @Override
        public String protocol(Scale scale) {
            return "fake at " + scale.key();
        }

        @Override
        public long units(Scale scale) {
            return 2;
        }

        @Override
        public List<Figure> figures() {
            return List.of(Figure.lines("curve", "a curve", "x", "y", false, false), Figure.points("cloud", "a cloud"),
                    Figure.lines("empty", "never filled", "x", "y", false, false));
        }

        @Override
        public void run(Context ctx, Trial trial) {
            seen.add(ctx.seed());
            for (int x = 1; x <= 2; x++) {
                trial.row("x", Integer.toString(x), "kind", "k,1").put("a", ctx.seed() + x).put("b", 2.0 * ctx.seed());
                trial.point("curve", "a", x, ctx.seed() + x);
                ctx.advance(1);
            }
            trial.cloud("cloud", "pts", new double[][] {{ctx.seed(), 1}, {2, 3}});
            trial.note("ran seed " + ctx.seed());
        }

        @Override
        public Verdict judge(ResultTable t, Scale scale) {
            double a = t.get("x", "1").mean("a");
            return Verdict.builder().number("a_at_1", a).check(a >= 1, "a ≥ 1").build("a = " + a);
        }
    }

    @Test
    void runsEverySeedAndWritesTablesFiguresAndVerdict(@TempDir Path tmp) throws Exception {
        Fake fake = new Fake();
        List<String> drawn = new ArrayList<>();
        long[] units = new long[2];
        Progress p = new Progress() {
            @Override
            public void start(String task, long totalUnits) {
                units[0] = totalUnits;
            }

            @Override
            public void advance(long n) {
                units[1] += n;
            }
        };
        Path out = tmp.resolve("fake");
        ExperimentRunner.Outcome o = ExperimentRunner.run("fake", fake, Scale.QUICK, 3, 5, out, p, (f, png) -> {
            drawn.add(f.name() + ":" + f.series().size());
            Files.writeString(png, "png");
            return true;
        }, w -> { }, "ganflow experiment run fake");
        assertEquals(List.of(5L, 6L, 7L), fake.seen);
        assertEquals(6, units[0], "one bar over every seed");
        assertEquals(6, units[1]);
        assertEquals(List.of("curve:1", "cloud:1"), drawn, "the empty figure is not drawn");
        assertTrue(o.verdict().holds());

        List<String> csv = Files.readAllLines(out.resolve("table.csv"));
        assertEquals("x,kind,a,a_std,b,b_std,seeds", csv.get(0));
        // a at x = 1 over seeds 5, 6, 7: 6, 7, 8 -> mean 7, sample std 1; b: 10, 12, 14 -> mean 12, std 2
        assertEquals("1,\"k,1\",7.0,1.0,12.0,2.0,3", csv.get(1));
        assertEquals("2,\"k,1\",8.0,1.0,12.0,2.0,3", csv.get(2));
        String md = Files.readString(out.resolve("table.md"));
        assertTrue(md.contains("| x | kind | a | b |"), md);
        assertTrue(md.contains("| 1 | k,1 | 7 ± 1 | 12 ± 2 |"), md);
        assertEquals(7, Files.readAllLines(out.resolve("seeds.csv")).size(), "a header and 3 × 2 rows");

        @SuppressWarnings("unchecked")
        Map<String, Object> v = new ObjectMapper().readValue(out.resolve("verdict.json").toFile(), Map.class);
        assertEquals("fake", v.get("experiment"));
        assertEquals("a fake claim", v.get("claim"));
        assertEquals("mean a at x = 1 ≥ 1", v.get("threshold"));
        assertEquals("fake at quick", v.get("protocol"));
        assertEquals("quick", v.get("scale"));
        assertEquals("holds", v.get("verdict"));
        assertEquals(true, v.get("holds"));
        assertEquals(List.of(5, 6, 7), v.get("seeds"));
        assertEquals(7.0, ((Number) ((Map<?, ?>) v.get("numbers")).get("a_at_1")).doubleValue());
        assertEquals(List.of("seed 5: ran seed 5", "seed 6: ran seed 6", "seed 7: ran seed 7"), v.get("notes"));
        assertTrue(((Map<?, ?>) v.get("machine")).containsKey("load_mean"));
        assertTrue(v.containsKey("cpu_seconds") && v.containsKey("seconds"));
        assertEquals("ganflow experiment run fake", v.get("command"));
        assertEquals(List.of("table.csv", "table.md", "seeds.csv", "curve.png", "cloud.png", "verdict.json"), v.get("files"));
    }

    @Test
    void aFailedConditionIsADoesNotHoldVerdictWithItsReason(@TempDir Path tmp) throws Exception {
        Fake fake = new Fake() {
            @Override
            public void run(Context ctx, Trial trial) {
                trial.row("x", "1").put("a", -1);
            }
        };
        ExperimentRunner.Outcome o = ExperimentRunner.run("fake", fake, Scale.FULL, 1, 0, tmp.resolve("f"),
                Progress.NONE, FigureWriter.NONE, w -> { }, "");
        assertFalse(o.verdict().holds());
        assertEquals("does not hold", o.verdict().word());
        assertEquals(List.of("a ≥ 1"), o.verdict().numbers().get("failed_conditions"));
        String json = Files.readString(tmp.resolve("f/verdict.json"));
        assertTrue(json.contains("\"verdict\" : \"does not hold\""), json);
    }

    @Test
    void refusesABadFolderOrSeedCountBeforeRunning(@TempDir Path tmp) throws Exception {
        Fake fake = new Fake();
        Path busy = Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(busy.resolve("mine.txt"), "keep me");
        assertThrows(BadInputException.class, () -> ExperimentRunner.run("fake", fake, Scale.QUICK, 1, 0, busy,
                Progress.NONE, FigureWriter.NONE, w -> { }, ""));
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertThrows(BadInputException.class, () -> ExperimentRunner.run("fake", fake, Scale.QUICK, 1, 0, file,
                Progress.NONE, FigureWriter.NONE, w -> { }, ""));
        assertThrows(BadInputException.class, () -> ExperimentRunner.run("fake", fake, Scale.QUICK, 0, 0,
                tmp.resolve("new"), Progress.NONE, FigureWriter.NONE, w -> { }, ""));
        assertTrue(fake.seen.isEmpty(), "nothing ran");
        assertEquals("keep me", Files.readString(busy.resolve("mine.txt")));
        // an earlier experiment's folder is reused, its own files replaced
        Path again = tmp.resolve("again");
        ExperimentRunner.run("fake", fake, Scale.QUICK, 1, 0, again, Progress.NONE, FigureWriter.NONE, w -> { }, "");
        ExperimentRunner.run("fake", fake, Scale.QUICK, 2, 0, again, Progress.NONE, FigureWriter.NONE, w -> { }, "");
        assertEquals(5, Files.readAllLines(again.resolve("seeds.csv")).size());
    }

    @Test
    void statisticsAndFormatting() {
        assertEquals(1.0, Stats.spearman(new double[] {1, 2, 3, 4}, new double[] {10, 20, 25, 100}), 1e-12);
        assertEquals(-1.0, Stats.spearman(new double[] {1, 2, 3}, new double[] {3, 2, 1}), 1e-12);
        // ties take average ranks: ranks (1.5, 1.5, 3) against (1, 2, 3)
        assertEquals(Stats.pearson(new double[] {1.5, 1.5, 3}, new double[] {1, 2, 3}),
                Stats.spearman(new double[] {5, 5, 7}, new double[] {1, 2, 3}), 1e-12);
        assertEquals(0.0, Stats.std(List.of(3.0)));
        assertEquals(Math.sqrt(2), Stats.std(List.of(1.0, 3.0)), 1e-12);
        assertEquals("0.6931", ResultTable.format(Math.log(2)));
        assertEquals("1.000e-12", ResultTable.format(1e-12));
        assertEquals("12", ResultTable.format(12.0));
        assertEquals("∞", ResultTable.format(Double.POSITIVE_INFINITY));
    }
}
