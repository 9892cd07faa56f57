package io.ganflow.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ganflow.data.image.DataDirs;
import io.ganflow.metrics.features.Classifiers;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image experiments' --quick forms run end to end on the installed data sets with the cached domain
 * classifiers (skipped where either is missing: training a classifier takes minutes). mnist-collapse is in the
 * default suite; the others take minutes even when quick, and run with -Pslow.
 */
class ImageExperimentsTest {
    @TempDir
    Path tmp;

    static void assumeReady(String domain) {
        Path data = domain.equals("mnist") ? DataDirs.mnist() : DataDirs.FASHION_MNIST;
        assumeTrue(Files.isDirectory(data), domain + " is not installed (docs/data.md)");
        assumeTrue(Files.isRegularFile(Classifiers.directory("").resolve(domain + "-" + Classifiers.VERSION
                + ".safetensors")), "no cached " + domain + " classifier (ganflow classifier train --data " + domain + ")");
    }

    ExperimentRunner.Outcome quick(String name) {
        ExperimentRunner.Outcome o = ExperimentRunner.run(name, Experiments.registry().get(name), Scale.QUICK, 1, 0,
                tmp.resolve(name), Progress.NONE, FigureWriter.NONE, w -> { }, "test");
        System.out.println(name + " (quick): " + o.verdict().word() + " | " + o.verdict().headline());
        for (ResultTable.Condition c : o.table().conditions()) {
            if (o.table().valueNames().contains("fid")) {
                assertTrue(Double.isFinite(c.mean("fid")), name + " " + c.labels() + ": FID measured");
            }
        }
        return o;
    }

    @Test
    void mnistCollapse() {
        assumeReady("mnist");
        ExperimentRunner.Outcome o = quick("mnist-collapse");
        assertEquals(2, o.table().conditions().size());
        assertTrue(o.table().conditions().stream().allMatch(c -> Double.isFinite(c.mean("class_kl"))));
    }

    @Test
    @Tag("slow")
    void conditioningCuresCollapse() {
        assumeReady("mnist");
        ExperimentRunner.Outcome o = quick("conditioning-cures-collapse");
        assertEquals(4, o.table().conditions().size());
        // the three conditional runs are asked for classes, and measured on them
        assertEquals(3, o.table().conditions().stream().filter(c -> Double.isFinite(c.mean("class_accuracy"))).count());
    }

    @Test
    @Tag("slow")
    void projectionVsAcganVsConcat() {
        assumeReady("fashion-mnist");
        ExperimentRunner.Outcome o = quick("projection-vs-acgan-vs-concat");
        assertEquals(4, o.table().conditions().size());
        assertEquals(3, o.table().conditions().stream().filter(c -> Double.isFinite(c.mean("class_accuracy"))).count());
    }

    @Test
    @Tag("slow")
    void guidanceTradeoff() {
        assumeReady("fashion-mnist");
        ExperimentRunner.Outcome o = quick("guidance-tradeoff");
        assertEquals(2, o.table().conditions().size());
        assertTrue(o.table().conditions().stream().allMatch(c -> Double.isFinite(c.mean("class_accuracy"))));
    }

    @Test
    @Tag("slow")
    void ddimFewerSteps() {
        assumeReady("fashion-mnist");
        ExperimentRunner.Outcome o = quick("ddim-fewer-steps");
        // two samplers at two step counts, each measured
        assertEquals(4, o.table().conditions().size());
        assertTrue(o.table().conditions().stream().allMatch(c -> c.mean("classes_covered") >= 1));
    }

    @Test
    @Tag("slow")
    void architectureRobustness() {
        assumeReady("mnist");
        assertEquals(4, quick("architecture-robustness").table().conditions().size());
    }

    @Test
    @Tag("slow")
    void stackedMnistModes() {
        assumeReady("mnist");
        ExperimentRunner.Outcome o = quick("stacked-mnist-modes");
        assertTrue(o.table().conditions().stream().allMatch(c -> c.mean("modes_covered") >= 1));
    }

    @Test
    @Tag("slow")
    void stackedMnistLeaderboard() {
        assumeReady("mnist");
        ExperimentRunner.Outcome o = quick("stacked-mnist-leaderboard");
        assertEquals(4, o.table().conditions().size());
        assertTrue(o.table().conditions().stream().allMatch(c -> c.mean("modes_covered") >= 1));
    }

    @Test
    @Tag("slow")
    void criticTracksQuality() {
        assumeReady("fashion-mnist");
        assertEquals(2, quick("critic-tracks-quality").table().conditions().size());
    }

    @Test
    @Tag("slow")
    void gp0VsGp1Fmnist() {
        assumeReady("fashion-mnist");
        assertEquals(2, quick("gp0-vs-gp1-fmnist").table().conditions().size());
    }

    @Test
    @Tag("slow")
    void monoflowHFmnist() {
        assumeReady("fashion-mnist");
        assertEquals(5, quick("monoflow-h-fmnist").table().conditions().size());
    }

    @Test
    @Tag("slow")
    void reflowStraightensFmnist() {
        assumeReady("fashion-mnist");
        ExperimentRunner.Outcome o = quick("reflow-straightens-fmnist");
        assertEquals(3, o.table().conditions().size());
        // every stage was measured at its last step: one-step FID for all three, 20-step FID for 1-RF and 2-RF
        assertTrue(o.table().conditions().stream().allMatch(c -> Double.isFinite(c.mean("fid_1step"))));
        assertTrue(Double.isFinite(o.table().get("model", "2-RF").mean("fid_20steps")));
    }
}
