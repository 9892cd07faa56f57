package io.ganflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run report and the comparison page, opened in headless Chromium from the file system with no network: every
 * image decodes (the page's own load script counts them), and the text holds no "NaN" and no number printed to
 * full double precision. Skipped, saying so, where Chromium is not installed (.ci/run installs Debian's).
 */
class ReportBrowserTest {
    @TempDir
    Path dir;

    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("GANFLOW_CHROMIUM", "/usr/bin/chromium"));

    @Test
    void runReportsAndTheComparisonOpenInABrowser() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM + " (apt-get install chromium)");
        Path idx = ImageRuns.writeIdx(dir.resolve("bars.idx"), 200, 1);
        Path image = dir.resolve("image");
        CliTestSupport.Result r = CliTestSupport.run(ImageRuns.trainArgs(ImageRuns.ganKeys(idx, false), "--steps", "30",
                "--out", image.toString()));
        assertEquals(0, r.code(), r.err());
        List<Path> toys = new ArrayList<>();
        for (String seed : List.of("1", "2")) {
            Path toy = dir.resolve("toy" + seed);
            r = CliTestSupport.run(CliTestSupport.tiny("train", "--steps", "40", "--seed", seed, "--out", toy.toString()));
            assertEquals(0, r.code(), r.err());
            toys.add(toy);
        }
        Path flow = dir.resolve("flow");
        r = CliTestSupport.run(CliTestSupport.tiny("train", "--preset", "ring8-rf", "--steps", "40", "--out",
                flow.toString()));
        assertEquals(0, r.code(), r.err());

        for (Path run : List.of(image, toys.get(0), flow)) {
            check(run.resolve("report.html"), 3);
        }
        Path page = dir.resolve("compare.html");
        r = CliTestSupport.run("report", toys.get(0).toString(), toys.get(1).toString(), flow.toString(), "--out",
                page.toString());
        assertEquals(0, r.code(), r.err());
        String html = check(page, 4);
        assertTrue(html.contains("train.seed") && html.contains("method"), "the keys that differ: seed and method");
        assertFalse(html.contains("src=\"http"), "nothing from the network");

        r = CliTestSupport.run("report", dir.resolve("nothing").toString(), "--out", dir.resolve("x.html").toString());
        assertEquals(2, r.code());
        assertFalse(Files.exists(dir.resolve("x.html")));
    }

    /** Renders the page, asserts its images all loaded (at least {@code minImages}) and its text; returns the DOM. */
    static String check(Path page, int minImages) throws Exception {
        String dom = render(page);
        Matcher m = Pattern.compile("data-images-loaded=\"(\\d+)\" data-images-broken=\"(\\d+)\"").matcher(dom);
        assertTrue(m.find(), page + ": the load script did not run");
        assertTrue(Integer.parseInt(m.group(1)) >= minImages, page + ": " + m.group(0));
        assertEquals("0", m.group(2), page + ": broken images");
        String text = dom.replaceAll("(?s)<script.*?</script>", "").replaceAll("src=\"data:[^\"]*\"", "")
                .replaceAll("<[^>]+>", " ");
        assertFalse(text.contains("NaN"), page + ": NaN in the page");
        Matcher longNumber = Pattern.compile("\\d\\.\\d{8,}").matcher(text);
        assertFalse(longNumber.find(), page + ": a number at full precision: " + (longNumber.find(0)
                ? longNumber.group() : ""));
        return dom;
    }

    static String render(Path page) throws Exception {
        Path profile = Files.createTempDirectory("ganflow-chromium-");
        Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--allow-file-access-from-files", "--dump-dom",
                page.toUri().toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "Chromium did not finish");
        return new String(out, StandardCharsets.UTF_8);
    }
}
