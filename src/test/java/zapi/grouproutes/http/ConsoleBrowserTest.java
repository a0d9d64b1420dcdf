package zapi.grouproutes.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.CapturedLogs;
import zapi.grouproutes.support.ServiceRun;
import zapi.grouproutes.support.TestDatabase;

/**
 * The web console in a real browser (Debian's headless chromium through chromedriver) against the running
 * service, whose database was filled by the product itself: a file batch through the simulator, a link
 * rotated in WhatsApp, and a check tick that found it. Then the console's views, sign-in, the session
 * cookie and the CSRF token, and the list operations it reads, against the OpenAPI document.
 */
class ConsoleBrowserTest {

    static final String KEY = "4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e";
    static final String HOSTILE = "<img src=x onerror=\"window.pwned=1\"><script>window.pwned=2</script>";
    static final String OK_GROUP = "120363000000000001-group";
    static final String ROTATED = "120363000000000002-group";
    static final String XSS_GROUP = "120363000000000003-group";
    static final String PARTIAL_GROUP = "120363000000000500-group";
    static final String FAILED_GROUP = "120363000000000404-group";
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    @TempDir
    static Path dir;
    static ZapiSimulator simulator;
    static ServiceRun service;
    static ApiClient api;
    static URI base;
    static Path rotationReport;
    static List<String> groups = new ArrayList<>();
    static CapturedLogs logs;

    WebDriver browser;
    Path downloads;

    @BeforeAll
    static void seed() throws Exception {
        boolean browserHere = Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER));
        if (!"true".equals(System.getenv("CI"))) {
            Assumptions.assumeTrue(browserHere, "no " + CHROMIUM + " or " + CHROMEDRIVER + " (apt-get install chromium chromium-driver)");
        }
        logs = new CapturedLogs(org.apache.logging.log4j.Level.TRACE);
        simulator = new ZapiSimulator("inst-console", "tok-console", "ct-console", SimulatorOptions.defaults()).start();
        simulator.rename(XSS_GROUP, HOSTILE);
        TestDatabase database = TestDatabase.h2(dir.resolve("db"));
        groups.addAll(List.of(OK_GROUP, ROTATED, XSS_GROUP, PARTIAL_GROUP, FAILED_GROUP));
        for (int i = 10; i < 40; i++) {
            groups.add("1203630000000001" + i + "-group");
        }
        BatchRun imported = run("import", database).input("groups.txt", String.join("\n", groups) + "\n").run();
        assertThat(imported.exitCode()).isZero();
        simulator.rotateOutside(ROTATED);
        // the tick's check is ROTATED's second reading, with three more participants than the import's
        simulator.addMembers(ROTATED, 3);
        BatchRun tick = run("tick", database).with("zapi.sources", "schedule").with("zapi.schedule.name", "nightly").run();
        assertThat(tick.exitCode()).isZero();
        rotationReport = tick.rotationsReport();

        int port = ApiClient.freePort();
        service = run("service", database).with("zapi.sources", "inbox,http").with("zapi.observe.enabled", "false")
                .with("zapi.http.host", "127.0.0.1").with("zapi.http.port", String.valueOf(port))
                .with("zapi.api.keys", "console:" + ApiClient.hashOf(KEY)).with("zapi.api.rate.requests-per-second", "1000")
                .with("zapi.api.batch-spool", dir.resolve("spool").toString())
                .startAsService();
        base = URI.create("http://127.0.0.1:" + port);
        api = new ApiClient(base);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> api.get("/api/groups/" + OK_GROUP, KEY).statusCode() == 200);
    }

    private static BatchRun run(String name, TestDatabase database) {
        return new BatchRun(dir.resolve(name)).against(simulator, "inst-console", "tok-console", "ct-console").with(database.settings());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (service != null) {
                service.stop();
            }
        } finally {
            if (simulator != null) {
                simulator.close();
            }
            if (logs != null) {
                logs.close();
            }
        }
    }

    @BeforeEach
    void openBrowser() throws Exception {
        downloads = Files.createDirectories(dir.resolve("downloads-" + System.nanoTime()));
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM)
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900");
        options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(), "download.prompt_for_download", false));
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(Path.of(CHROMEDRIVER).toFile()).usingAnyFreePort().build(),
                options);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(15));
    }

    private void signIn(String key) {
        browser.get(base + "/console/");
        waiting().until(ExpectedConditions.urlContains("/console/sign-in"));
        browser.findElement(By.id("key")).sendKeys(key);
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
    }

    private void signedIn() {
        signIn(KEY);
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), "Key console"));
    }

    private void open(String hash) {
        ((JavascriptExecutor) browser).executeScript("window.location.hash = arguments[0]", hash);
    }

    @Test
    void aKeySignsInOnceAndTheCookieIsHttpOnlyAndStrict() {
        signedIn();
        Cookie cookie = browser.manage().getCookieNamed("zapi_console");
        assertThat(cookie).isNotNull();
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Strict");
        assertThat(cookie.getValue()).doesNotContain(KEY);
        // the audit line names the key, never shows it
        await().atMost(Duration.ofSeconds(5)).until(() -> logs.text().contains("Console sign-in by key 'console'"));
        assertThat(logs.text()).doesNotContain(KEY).doesNotContain(ApiClient.hashOf(KEY)).doesNotContain(cookie.getValue());
        // the page's scripts cannot read it
        assertThat((String) ((JavascriptExecutor) browser).executeScript("return document.cookie")).doesNotContain("zapi_console");
        browser.findElement(By.cssSelector("#sign-out button")).click();
        waiting().until(ExpectedConditions.urlContains("/console/sign-in"));
        browser.get(base + "/console/");
        waiting().until(ExpectedConditions.urlContains("/console/sign-in"));
    }

    @Test
    void aWrongKeyGetsNoSessionAndNoDetail() {
        signIn("not-the-key");
        WebElement alert = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[role=alert]")));
        assertThat(alert.getText()).isEqualTo("Sign-in failed: that is not a valid API key.");
        assertThat(browser.manage().getCookieNamed("zapi_console")).isNull();
        assertThat(logs.text()).doesNotContain("not-the-key");
    }

    @Test
    void theOverviewShowsTheSourcesTheRateAndTheLastRuns() {
        signedIn();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("view"), "Last runs"));
        String text = browser.findElement(By.id("view")).getText();
        assertThat(text).contains("inbox").contains("http").contains("RUNNING").contains("requests/s")
                .contains("schedule:nightly").contains("groups.txt").contains("COMPLETED");
    }

    @Test
    void groupsAreSearchedFilteredAndPaged() {
        signedIn();
        open("#/groups");
        waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr.group-row"), 25));
        assertThat(browser.findElement(By.id("page-number")).getText()).isEqualTo("Page 1");
        browser.findElement(By.id("next-page")).click();
        waiting().until(ExpectedConditions.textToBe(By.id("page-number"), "Page 2"));
        assertThat(browser.findElements(By.cssSelector("tr.group-row"))).hasSize(groups.size() - 25);
        assertThat(browser.findElement(By.id("next-page")).isEnabled()).isFalse();

        WebElement search = browser.findElement(By.id("group-search"));
        search.sendKeys("Grupo 120363");
        browser.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        waiting().until(ExpectedConditions.textToBe(By.id("page-number"), "Page 1"));
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("group-status"))).selectByValue("PARTIAL");
        browser.findElement(By.id("group-search")).clear();
        browser.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr.group-row"), 1));
        assertThat(browser.findElement(By.cssSelector("tr.group-row")).getText()).contains(PARTIAL_GROUP).contains("PARTIAL");
    }

    @Test
    void aHostileSubjectIsShownAsText() {
        signedIn();
        open("#/groups");
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("group-search"))).sendKeys(XSS_GROUP);
        browser.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr.group-row"), 1));
        assertThat(browser.findElement(By.cssSelector("tr.group-row")).getText()).contains(HOSTILE);
        browser.findElement(By.linkText(XSS_GROUP)).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "<img src=x"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo(HOSTILE);
        assertThat(browser.findElements(By.cssSelector("#view img, #view script"))).isEmpty();
        assertThat(((JavascriptExecutor) browser).executeScript("return window.pwned === undefined")).isEqualTo(true);
    }

    @Test
    void aGroupShowsItsLinkHistoryAndItsParticipantsOverTheChecksAsTimelineTableAndCharts() throws Exception {
        signedIn();
        open("#/group/" + ROTATED);
        waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#link-history li"), 2));
        assertThat(browser.findElement(By.cssSelector("#link-history li")).getText()).contains(simulator.currentLink(ROTATED));
        WebElement canvas = waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".chart canvas")));
        assertThat(canvas.getSize().getWidth()).isGreaterThan(200);
        // drawn: the canvas has pixels that are not blank
        Object painted = ((JavascriptExecutor) browser).executeScript("const c = arguments[0]; const d = c.getContext('2d')"
                + ".getImageData(0, 0, c.width, c.height).data; for (let i = 3; i < d.length; i += 4) { if (d[i] !== 0) return true; } return false;", canvas);
        assertThat(painted).isEqualTo(true);

        // the participants count at each check: the tick's (three joined) above the import's, and its chart
        List<WebElement> readings = waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#participants-history tbody tr"), 2));
        int now = Integer.parseInt(readings.get(0).findElement(By.cssSelector("td.num")).getText());
        assertThat(Integer.parseInt(readings.get(1).findElement(By.cssSelector("td.num")).getText())).isEqualTo(now - 3);
        assertThat(api.get("/api/groups/" + ROTATED, KEY).body()).contains("\"participantsCount\":" + now);
        assertThat(browser.findElement(By.cssSelector(".chart[aria-label='Participants count at each check'] canvas")).getSize().getWidth())
                .isGreaterThan(200);

        open("#/group/" + FAILED_GROUP);
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("last-error"), "Last error"));
    }

    @Test
    void theRotationsViewListsTheTicksChangeAndDownloadsItsReport() throws Exception {
        signedIn();
        open("#/rotations");
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("section.tick tr.rotation-row")));
        String row = browser.findElement(By.cssSelector("section.tick tr.rotation-row")).getText();
        assertThat(row).contains(ROTATED).contains(simulator.currentLink(ROTATED));
        assertThat(browser.findElements(By.id("rotate-links"))).as("no rotate control without the opt-in (no schedule source here)").isEmpty();
        assertThat(browser.findElements(By.cssSelector("#rotations-chart canvas"))).isNotEmpty();
        browser.findElement(By.cssSelector("section.tick button.download")).click();
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            try (var files = Files.list(downloads)) {
                return files.anyMatch(f -> f.toString().endsWith("-rotations.csv"));
            }
        });
        Path downloaded;
        try (var files = Files.list(downloads)) {
            downloaded = files.filter(f -> f.toString().endsWith("-rotations.csv")).findFirst().orElseThrow();
        }
        assertThat(Files.readString(downloaded)).isEqualTo(Files.readString(rotationReport));
    }

    /**
     * The README's screenshots at 1280 px, drawn from this class's data (the hostile subject included, shown as
     * text): the overview, a group and the rotations view. They go to target/console-screenshots/, or where
     * {@code -Dconsole.screenshots} says: docs/testing.md gives the command that writes them to docs/images/.
     */
    @Test
    void theReadmeScreenshotsShowTheOverviewAGroupAndTheRotations() throws Exception {
        Path out = Files.createDirectories(Path.of(System.getProperty("console.screenshots", "target/console-screenshots")));
        signedIn();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("view"), "Last runs"));
        screenshot(out.resolve("console-overview.png"));
        open("#/group/" + ROTATED);
        waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#participants-history tbody tr"), 2));
        screenshot(out.resolve("console-group.png"));
        open("#/rotations");
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("section.tick tr.rotation-row")));
        screenshot(out.resolve("console-rotations.png"));
    }

    /** A screenshot of the window, refused if it is not 1280 px wide or is one flat colour (a page not drawn). */
    private void screenshot(Path file) throws Exception {
        // the refresh of the overview and the charts draw after the data arrives
        waiting().until(driver -> ((JavascriptExecutor) driver).executeScript("return document.readyState").equals("complete"));
        byte[] png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(org.openqa.selenium.OutputType.BYTES);
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
        assertThat(image.getWidth()).as("width of %s", file.getFileName()).isEqualTo(1280);
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 7) {
            for (int x = 0; x < image.getWidth(); x += 7) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertThat(colours.size()).as("colours in %s", file.getFileName()).isGreaterThan(20);
        Files.write(file, png);
    }

    @Test
    void theRunsViewDrawsOutcomesPerRun() {
        signedIn();
        open("#/runs");
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#runs-chart canvas")));
        assertThat(browser.findElement(By.id("view")).getText()).contains("groups.txt").contains("schedule:nightly");
    }

    @Test
    void theKeyboardReachesTheNavigationAndTheControls() {
        signedIn();
        // a page loaded afresh: the keyboard starts at its top
        open("#/groups");
        browser.navigate().refresh();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("group-search")));
        List<String> reached = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            new Actions(browser).sendKeys(Keys.TAB).perform();
            WebElement focused = browser.switchTo().activeElement();
            reached.add(focused.getTagName() + "#" + focused.getAttribute("id") + ":" + focused.getText());
        }
        assertThat(reached).anyMatch(s -> s.contains(":Groups")).anyMatch(s -> s.contains(":Rotations")).anyMatch(s -> s.startsWith("input#group-search"))
                .anyMatch(s -> s.startsWith("select#group-status"));
    }

    @Test
    void at390PixelsNothingScrollsSideways() {
        signedIn();
        browser.manage().window().setSize(new Dimension(390, 844));
        for (String view : List.of("#/overview", "#/groups", "#/group/" + ROTATED, "#/rotations", "#/runs")) {
            open(view);
            waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#view h1")));
            waiting().until(d -> ((JavascriptExecutor) d).executeScript("return document.getElementById('status').textContent === ''"));
            Object overflow = ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollWidth - window.innerWidth");
            assertThat(((Number) overflow).longValue()).as(view).isLessThanOrEqualTo(0);
            // a missing value or element must not reach the page as the words JavaScript prints for it
            assertThat(browser.findElement(By.id("view")).getText()).as(view).doesNotContainPattern("\\b(null|undefined|NaN)\\b");
        }
    }

    @Test
    void theSessionCookieWithoutItsCsrfTokenOpensNothing() throws Exception {
        signedIn();
        String session = browser.manage().getCookieNamed("zapi_console").getValue();
        String csrf = (String) ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[0]; fetch('/console/session').then(r => r.json()).then(s => done(s.csrfToken));");
        HttpResponse<String> without = api.send(HttpRequest.newBuilder(api.uri("/api/groups/" + OK_GROUP)).header("Cookie", "zapi_console=" + session), null);
        assertThat(without.statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = api.send(HttpRequest.newBuilder(api.uri("/api/groups/" + OK_GROUP)).header("Cookie", "zapi_console=" + session)
                .header("X-CSRF-Token", "forged"), null);
        assertThat(wrong.statusCode()).isEqualTo(401);
        HttpResponse<String> with = api.send(HttpRequest.newBuilder(api.uri("/api/groups/" + OK_GROUP)).header("Cookie", "zapi_console=" + session)
                .header("X-CSRF-Token", csrf), null);
        assertThat(with.statusCode()).isEqualTo(200);
        HttpResponse<String> signOut = api.send(HttpRequest.newBuilder(api.uri("/console/sign-out")).header("Cookie", "zapi_console=" + session)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("csrf=forged")), null);
        assertThat(signOut.statusCode()).isEqualTo(403);
        // a Bearer key still works for API clients, and nothing without a session shows the console
        assertThat(api.get("/api/groups/" + OK_GROUP, KEY).statusCode()).isEqualTo(200);
        assertThat(api.get("/console/session", null).statusCode()).isEqualTo(401);
        assertThat(api.get("/console/", null).statusCode()).isEqualTo(303);
    }

    @Test
    void aListUploadedFromTheOverviewBecomesABatchWhoseBarReaches100() throws Exception {
        Path list = Files.writeString(dir.resolve("uploaded.txt"), "120363000000000201-group\n120363000000000202-group\nnot-a-group\n");
        signedIn();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("upload-file"))).sendKeys(list.toString());
        browser.findElement(By.cssSelector("#upload button[type=submit]")).click();
        waiting().until(ExpectedConditions.textMatches(By.cssSelector(".batch-text"), java.util.regex.Pattern.compile("DONE .*\\(100%\\)")));
        assertThat(browser.findElement(By.cssSelector("#followed progress")).getAttribute("value")).isEqualTo("100");
        assertThat(api.get("/api/groups/120363000000000201-group", KEY).statusCode()).isEqualTo(200);
    }

    @Test
    void anActionWithTheCookieButWithoutTheCsrfTokenIsRefused() throws Exception {
        signedIn();
        String session = browser.manage().getCookieNamed("zapi_console").getValue();
        HttpResponse<String> upload = api.send(HttpRequest.newBuilder(api.uri("/api/batches")).header("Cookie", "zapi_console=" + session)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("120363000000000301-group\n")), null);
        assertThat(upload.statusCode()).isEqualTo(401);
        HttpResponse<String> tick = api.send(HttpRequest.newBuilder(api.uri("/api/schedules/nightly/ticks?action=check"))
                .header("Cookie", "zapi_console=" + session).POST(HttpRequest.BodyPublishers.noBody()), null);
        assertThat(tick.statusCode()).isEqualTo(401);
    }

    @Test
    void theListOperationsAnswerAsTheOpenApiDocumentSays() throws Exception {
        OpenApiSchemas schemas = new OpenApiSchemas(ApiClient.json(api.get("/api/openapi.json", KEY)));
        HttpResponse<String> first = api.get("/api/groups?limit=10", KEY);
        schemas.assertMatches("/api/groups", "200", first.body());
        JsonNode page = ApiClient.json(first);
        assertThat(page.get("groups")).hasSize(10);
        JsonNode second = ApiClient.json(api.get("/api/groups?limit=10&after=" + page.get("next").asText(), KEY));
        assertThat(second.get("groups").get(0).get("groupId").asText()).isGreaterThan(page.get("next").asText());
        HttpResponse<String> failed = api.get("/api/groups?status=failed", KEY);
        schemas.assertMatches("/api/groups", "200", failed.body());
        assertThat(ApiClient.json(failed).get("groups")).hasSize(1);
        HttpResponse<String> bad = api.get("/api/groups?status=GONE", KEY);
        assertThat(bad.statusCode()).isEqualTo(400);
        schemas.assertMatches("/api/groups", "400", bad.body());
        assertThat(ApiClient.json(bad).get("detail").asText()).startsWith("status must be");

        HttpResponse<String> runs = api.get("/api/runs?limit=5", KEY);
        schemas.assertMatches("/api/runs", "200", runs.body());
        assertThat(ApiClient.json(runs).toString()).doesNotContain("reportPath").doesNotContain(dir.toString());
        HttpResponse<String> rotations = api.get("/api/rotations?days=7", KEY);
        schemas.assertMatches("/api/rotations", "200", rotations.body());
        assertThat(ApiClient.json(rotations).get("rotations").get(0).get("groupId").asText()).isEqualTo(ROTATED);
        HttpResponse<String> overview = api.get("/api/overview", KEY);
        schemas.assertMatches("/api/overview", "200", overview.body());
        assertThat(api.get("/api/runs/00000000-0000-0000-0000-000000000000/rotations.csv", KEY).statusCode()).isEqualTo(404);
        assertThat(api.get("/api/runs/..%2F..%2Fetc/rotations.csv", KEY).statusCode()).isIn(400, 404);
    }
}
