package com.shopsense.tools.readers;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.scoring.FraudAlert;
import com.shopsense.sink.RedisSettings;
import com.shopsense.testing.SharedRedis;
import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The merchandiser's page, rendered by a real headless Chromium, shows what the job wrote to Redis
 * ({@link DemoShop}): every section of the shop view and of a customer's view, CJK ids, and a hostile id shown as
 * text. Screenshots of both views go to target/page-screenshots/ (deploy/update-docs.sh --screenshots copies them
 * to docs/images/) and must not be blank. Expected texts are formatted here from the fixture's numbers the way the
 * page documents it formats them (percent with one decimal, two under 10 %; probabilities with three).
 */
@ExtendWith(SharedRedis.class)
class DemoPageIT {
    static final Path SHOTS = Path.of("target", "page-screenshots");
    private static StorefrontReader reader;
    private static HttpServer server;

    @TempDir
    Path profile;

    @BeforeAll
    static void seed() throws Exception {
        RedisSettings s = SharedRedis.settings("demo-page");
        DemoShop.write(s);
        reader = new StorefrontReader(s, List.of(), 20, DemoShop.catalogue(), StorefrontReader.thresholdsOf("onnx-models"));
        server = reader.serve(0);
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        reader.close();
    }

    @Test
    void theShopViewShowsKpisActionsSegmentsTrendingQualityAndAlerts() throws Exception {
        String dom = chromium("--dump-dom", url("/"));
        var hour = DemoShop.hour();
        assertThat(kpiValue(dom, "conversionRate")).isEqualTo(pct(fixed4((double) hour.convertedSessions() / hour.sessions())));
        assertThat(kpiValue(dom, "cartAbandonment")).isEqualTo(pct(fixed4((double) hour.abandonedSessions() / hour.cartSessions())));
        assertThat(kpiValue(dom, "averageOrderValue"))
                .isEqualTo(new BigDecimal(hour.revenue() / hour.orders()).setScale(2, RoundingMode.HALF_UP).toPlainString());
        assertThat(kpiValue(dom, "activeSessions")).isEqualTo(Long.toString(hour.activeSessions()));
        assertThat(kpiValue(dom, "alertRate")).isEqualTo(pct(fixed4((double) hour.alerts() / hour.scoredPayments())));
        assertThat(count(dom, "<path d=\"M")).as("a line and an area per KPI chart").isGreaterThanOrEqualTo(10);

        long abandoned = 0;
        for (int i = DemoShop.MINUTES - 59; i <= DemoShop.MINUTES; i++) {
            long[] a = DemoShop.actions(i);
            abandoned += a == null ? 0 : a[0];
        }
        assertThat(dom).contains("data-action=\"cartAbandonedActions\" style=\"margin-right:18px\"><b>" + abandoned + "</b>");

        long users = DemoShop.SEGMENTS.values().stream().mapToLong(Integer::longValue).sum();
        assertThat(dom).contains(String.format("%,d", users) + " users");
        assertThat(dom).contains(">" + String.format("%,d", DemoShop.SEGMENTS.get("prospect")) + " ("
                + pct((double) DemoShop.SEGMENTS.get("prospect") / users) + ")<");

        assertThat(count(dom, "<tr class=\"trend\">")).isEqualTo(10);
        assertThat(dom).contains("<td class=\"item\">" + DemoShop.TRENDING.get(0) + "</td>").contains("商品-0")
                .contains("category 女装");

        assertThat(count(dom, "<tr class=\"version\">")).isEqualTo(2);
        assertThat(dom).contains(">" + pct(fixed4(610 / 3500.0)) + "<");

        assertThat(count(dom, "<tr class=\"alert\">")).isEqualTo(20);
        assertThat(dom).contains("Amount is 8x the user's median payment").contains("5 payments by this user within one hour")
                .contains("an alert is raised when the fraud probability is at or above 0.121");
        FraudAlert newest = DemoShop.ALERTS.get(DemoShop.ALERTS.size() - 1);
        assertThat(dom).contains(">" + prob(newest.score()) + "<");
        assertHostileIdIsText(dom);
        assertThat(visible(dom)).as("no raw epoch milliseconds").doesNotContainPattern("\\b1[0-9]{12}\\b");
    }

    @Test
    void aCustomersViewExplainsEachScoreAgainstItsThreshold() throws Exception {
        String dom = chromium("--dump-dom", url("/?user=" + StorefrontReaderIT.encode(DemoShop.CUSTOMER)));
        assertThat(dom).contains("id=\"current\">" + DemoShop.CUSTOMER + "<").contains("id=\"segment\">at_risk<")
                .contains(Segments.meaning("at_risk"));
        ScoreThresholds t = StorefrontReader.thresholdsOf("onnx-models");
        assertThat(scoreBlock(dom, "intent")).contains(">0.821<").contains("high intent")
                .contains("threshold " + prob(t.highIntent()));
        assertThat(scoreBlock(dom, "churn")).contains(">0.410<").contains("at risk")
                .contains("threshold " + prob(t.churnAtRisk()));
        assertThat(scoreBlock(dom, "fraud")).contains(">0.350<").contains("threshold " + prob(t.fraudAlert()))
                .contains(0.35 >= t.fraudAlert() ? "alert: at or above" : "below the alert threshold");
        assertThat(dom).contains("source: model");
        assertThat(count(dom, "<li class=\"reco\">")).isEqualTo(3);
        assertThat(dom).contains("category " + DemoShop.CATEGORY.get(DemoShop.TRENDING.get(3))).contains("category unknown");
        assertThat(count(dom, "<li class=\"looked\">")).isEqualTo(2);
        long mine = DemoShop.ALERTS.stream().filter(a -> a.userId().equals(DemoShop.CUSTOMER)).count();
        assertThat(count(dom, "<tr class=\"alert\">")).isEqualTo((int) mine);
        // Ages against the replay's clock (the newest event time in Redis: the last KPI window's end).
        assertThat(dom).contains("(2 min ago)");
        assertThat(visible(dom)).doesNotContainPattern("\\b1[0-9]{12}\\b");
    }

    @Test
    void aProspectHasNoChurnScoreAndSeesTrendingItems() throws Exception {
        String dom = chromium("--dump-dom", url("/?user=" + StorefrontReaderIT.encode(DemoShop.PROSPECT)));
        assertThat(scoreBlock(dom, "churn")).contains("no churn score: not a customer yet");
        assertThat(dom).contains("source: trending").contains("the shop's trending items");
        assertThat(count(dom, "<li class=\"reco\">")).isEqualTo(20);
    }

    @Test
    void aHostileIdIsShownAsText() throws Exception {
        String dom = chromium("--dump-dom", url("/?user=" + StorefrontReaderIT.encode(DemoShop.HOSTILE)));
        assertThat(dom).contains("id=\"current\">&lt;script&gt;alert(1)&lt;/script&gt;\"'&amp;<");
        assertThat(dom).contains("&lt;img src=x onerror=alert(2)&gt;");
        assertHostileIdIsText(dom);
    }

    @Test
    void screenshotsOfTheShopAndOfACustomerAreNotBlank() throws Exception {
        Files.createDirectories(SHOTS);
        Map<String, String> views = Map.of("merchandiser-shop.png", url("/"),
                "merchandiser-customer.png", url("/?user=" + StorefrontReaderIT.encode(DemoShop.CUSTOMER)));
        for (var v : views.entrySet()) {
            Path png = SHOTS.resolve(v.getKey()).toAbsolutePath();
            Files.deleteIfExists(png);
            chromium("--screenshot=" + png, v.getValue());
            assertThat(png).exists();
            assertThat(Files.size(png)).as(v.getKey() + " bytes").isGreaterThan(40_000);
            BufferedImage img = ImageIO.read(png.toFile());
            assertThat(img.getWidth()).isEqualTo(1280);
            assertThat(nonBackgroundShare(img)).as(v.getKey() + ": share of pixels that are not the background")
                    .isGreaterThan(0.05);
        }
    }

    private static void assertHostileIdIsText(String dom) {
        assertThat(dom).doesNotContain("<script>alert(1)").doesNotContain("<img");
    }

    /** The share of pixels unlike the most common colour: a blank or failed render is ~0. */
    static double nonBackgroundShare(BufferedImage img) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                counts.merge(img.getRGB(x, y), 1, Integer::sum);
            }
        }
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        int top = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        return 1.0 - (double) top / total;
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static String kpiValue(String dom, String field) {
        Matcher m = Pattern.compile("data-kpi=\"" + field + "\"><div class=\"label\">[^<]*</div><div class=\"value\">([^<]*)<")
                .matcher(dom);
        assertThat(m.find()).as("KPI card " + field).isTrue();
        return m.group(1);
    }

    private static String scoreBlock(String dom, String score) {
        int at = dom.indexOf("data-score=\"" + score + "\"");
        assertThat(at).as("score " + score).isPositive();
        int next = dom.indexOf("data-score=", at + 12);
        return dom.substring(at, next < 0 ? Math.min(dom.length(), at + 3000) : next);
    }

    /** The rendered body without the page's script and the collapsed raw details. */
    private static String visible(String dom) {
        String body = dom.substring(dom.indexOf("<main>"), dom.indexOf("</main>"));
        int details = body.indexOf("<details>");
        return details < 0 ? body : body.substring(0, details);
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static double fixed4(double v) {
        return new BigDecimal(v).setScale(4, RoundingMode.HALF_UP).doubleValue();
    }

    /** As the page's pct(): JavaScript's toFixed rounds the double's exact decimal value half up. */
    static String pct(double v) {
        return new BigDecimal(100 * v).setScale(v < 0.1 ? 2 : 1, RoundingMode.HALF_UP).toPlainString() + " %";
    }

    static String prob(double v) {
        return new BigDecimal(v).setScale(3, RoundingMode.HALF_UP).toPlainString();
    }

    /** Runs headless Chromium on one URL: {@code --dump-dom} returns the DOM, {@code --screenshot=PATH} writes a PNG. */
    private String chromium(String mode, String url) throws Exception {
        String chromium = Files.isExecutable(Path.of("/usr/bin/chromium")) ? "/usr/bin/chromium" : "chromium";
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--lang=en-US", "--force-device-scale-factor=1",
                "--user-data-dir=" + profile, "--virtual-time-budget=8000"));
        cmd.add(mode.startsWith("--screenshot") ? "--window-size=1280,"
                + (url.contains("?user=") ? 1350 : 1900) : "--window-size=1280,1000");
        cmd.add(mode);
        cmd.add(url);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        return new String(out, StandardCharsets.UTF_8);
    }
}
