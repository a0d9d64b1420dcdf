package zapi.grouproutes.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
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
import zapi.grouproutes.support.ServiceRun;

/**
 * The Rotations view's "Rotate links…" under the opt-in (zapi.rotate.enabled), in a real browser at 390 px:
 * a dry run, a dialog naming how many links go with Cancel focused, Cancel (Escape) revoking nothing, and
 * "Revoke N links" revoking them, as the simulator counts redefine requests; and without the opt-in, no control.
 */
class ConsoleRotateBrowserTest {

    static final String KEY = "7e6d5c4b3a2910f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a3928170";

    @TempDir
    Path dir;

    /** What a test does in the browser, signed in on the Rotations view at 390 px, against the simulator. */
    interface InTheBrowser {
        void run(WebDriver browser, WebDriverWait waiting, ZapiSimulator simulator) throws Exception;
    }

    @Test
    void withoutTheOptInTheRotationsViewHasNoRotateControl() throws Exception {
        onTheRotationsView("120363000000000721-group\n", false, (browser, waiting, simulator) -> {
            waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("view"), "Ticks"));
            assertThat(browser.findElements(By.id("rotate-links"))).isEmpty();
        });
    }

    @Test
    void aRotationIsADryRunThenAConfirmationNamingTheLinks() throws Exception {
        onTheRotationsView("120363000000000721-group\n120363000000000722-group\n120363000000000723-group\n", true, (browser, waiting, simulator) -> {
            // the dry run, then the dialog naming the links; Cancel has the focus, Escape cancels
            WebElement rotate = waiting.until(ExpectedConditions.elementToBeClickable(By.id("rotate-links")));
            rotate.click();
            WebElement dialog = waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("rotate-dialog")));
            assertThat(dialog.getText()).contains("Revoke 3 invitation links?").contains("managed-groups");
            assertThat(browser.findElement(By.id("rotate-confirm")).getText()).isEqualTo("Revoke 3 links");
            assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("rotate-cancel");
            Object overflow = ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollWidth - window.innerWidth");
            assertThat(((Number) overflow).longValue()).as("nothing scrolls sideways at 390 px").isLessThanOrEqualTo(0);
            new Actions(browser).sendKeys(Keys.ESCAPE).perform();
            waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("rotate-result"), "Cancelled; nothing was revoked."));
            assertThat(browser.findElements(By.id("rotate-dialog"))).isEmpty();
            assertThat(simulator.redefineCount()).as("the dry run and Cancel revoke nothing").isZero();

            // again, from the keyboard: the button has the focus back; Enter on "Revoke 3 links" revokes them
            assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("rotate-links");
            new Actions(browser).sendKeys(Keys.ENTER).perform();
            waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("rotate-dialog")));
            new Actions(browser).sendKeys(Keys.TAB).perform();
            assertThat(browser.switchTo().activeElement().getText()).isEqualTo("Revoke 3 links");
            new Actions(browser).sendKeys(Keys.ENTER).perform();
            waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("rotate-result"), "ended DONE: 3 links revoked and reissued."));
            assertThat(simulator.redefineCount()).as("the confirmed rotate revokes each link once").isEqualTo(3);
        });
    }

    /** The service (http and schedule sources, the schedule's list a file, the opt-in as asked), and a browser signed in on Rotations. */
    private void onTheRotationsView(String groups, boolean optIn, InTheBrowser test) throws Exception {
        browserHere();
        Path list = dir.resolve("rotate.txt");
        Files.writeString(list, groups);
        try (ZapiSimulator simulator = new ZapiSimulator("inst-crot", "tok-crot-secret", "ct-crot-secret", SimulatorOptions.defaults()).start()) {
            int port = ApiClient.freePort();
            ServiceRun service = new BatchRun(dir).against(simulator, "inst-crot", "tok-crot-secret", "ct-crot-secret").with("zapi.mode", "service")
                    .with("zapi.sources", "http,schedule").with("zapi.sinks", "csv,jdbc").with("zapi.observe.enabled", "false")
                    .with("zapi.schedule.groups", list.toString()).with("zapi.rotate.enabled", String.valueOf(optIn)).with("zapi.rotate.max-groups", "5")
                    .with("zapi.api.batch-spool", dir.resolve("spool").toString()).with("zapi.http.host", "127.0.0.1")
                    .with("zapi.http.port", String.valueOf(port)).with("zapi.api.keys", "ops:" + ApiClient.hashOf(KEY))
                    .with("zapi.api.rate.requests-per-second", "1000").startAsService();
            URI base = URI.create("http://127.0.0.1:" + port);
            ApiClient api = new ApiClient(base);
            WebDriver browser = null;
            try {
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> api.get("/api/openapi.json", KEY).statusCode() == 200);
                browser = browser();
                browser.manage().window().setSize(new Dimension(390, 844));
                WebDriverWait waiting = new WebDriverWait(browser, Duration.ofSeconds(30));
                browser.get(base + "/console/");
                waiting.until(ExpectedConditions.urlContains("/console/sign-in"));
                browser.findElement(By.id("key")).sendKeys(KEY);
                browser.findElement(By.cssSelector("form button[type=submit]")).click();
                waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), "Key ops"));
                ((JavascriptExecutor) browser).executeScript("window.location.hash = '#/rotations'");
                test.run(browser, waiting, simulator);
            } finally {
                if (browser != null) {
                    browser.quit();
                }
                service.stop();
            }
        }
    }

    private static void browserHere() {
        boolean here = Files.isExecutable(Path.of(ConsoleBrowserTest.CHROMIUM)) && Files.isExecutable(Path.of(ConsoleBrowserTest.CHROMEDRIVER));
        if (!"true".equals(System.getenv("CI"))) {
            Assumptions.assumeTrue(here, "no " + ConsoleBrowserTest.CHROMIUM + " or " + ConsoleBrowserTest.CHROMEDRIVER);
        }
    }

    private static WebDriver browser() {
        ChromeOptions options = new ChromeOptions().setBinary(ConsoleBrowserTest.CHROMIUM)
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900");
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(Path.of(ConsoleBrowserTest.CHROMEDRIVER).toFile())
                .usingAnyFreePort().build(), options);
    }
}
