package io.callbridge.console;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.delivery.CommandLedger;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.CrmFixture;
import io.callbridge.support.CrmSandboxes;
import io.callbridge.support.Events;
import io.callbridge.support.TestBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The console as an operator uses it, in a real headless Chromium: a record HubSpot's sandbox refuses becomes a dead
 * letter, the cause goes away, the operator enters the admin key, sees the CRM's health and the dead letter with its
 * reason (the caller's e-mail and number masked), replays it, and the record lands in the sandbox.
 * {@code -Dcallbridge.screenshots=docs} saves the page as {@code docs/console.png}.
 */
class ConsoleBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String ADMIN = "admin-console-browser-key";
    private static final String HUBSPOT = "hubspot";
    private static final String E164 = "+41792000042";

    private static EmbeddedKafkaBroker broker;
    private static CrmSandboxes crms;
    private static CallbridgeApp app;
    private ChromeDriver browser;
    private Path profile;

    @BeforeAll
    static void start() {
        requireChromium();
        broker = TestBroker.fresh();
        crms = CrmSandboxes.start(42, true, List.of(CrmFixture.of(HUBSPOT)));
        app = CallbridgeApp.on(broker).with(crms.settings()).with("callbridge.api-keys", ADMIN + ":admin").fastRetries().start();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (crms != null) {
            crms.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /** Locally a machine without Chromium skips with the reason; under CI (.ci/run installs it) that is a failure. */
    private static void requireChromium() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(CHROMIUM + " and " + CHROMEDRIVER + " are required under CI (apt-get install chromium chromium-driver)");
        }
        assumeTrue(present, "skipped: " + CHROMIUM + " or " + CHROMEDRIVER + " is missing (apt-get install chromium chromium-driver)");
    }

    @BeforeEach
    void openBrowser() throws IOException {
        profile = Files.createTempDirectory("callbridge-chromium-");
        ChromeOptions options = new ChromeOptions();
        // both paths given: Selenium Manager has nothing to find and downloads nothing
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1400,1500");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void closeBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    @Test
    void anOperatorSeesTheDeadLetterMaskedReplaysItAndTheRecordLands() throws IOException {
        String email = "jean.dupont.console@example.ch";
        crms.faults(HUBSPOT, "{\"script\":[{\"match\":\"POST .*/crm/v3/objects/deals$\",\"status\":400,\"body\":{\"status\":\"error\","
                + "\"message\":\"Property values were not valid: " + email + " (+41 79 200 00 42) has no owner for pipeline 'default'\","
                + "\"category\":\"VALIDATION_ERROR\",\"correlationId\":\"c0ffee\"}}]}");
        ObjectNode event = Events.exampleWithNewId();
        ((ObjectNode) event.get("data")).put("from", E164);
        ((ObjectNode) event.at("/data/caller")).put("email", email);
        String id = event.get("id").asText();
        String deal = id + ":hot-lead:0";
        app.post(event);
        await().atMost(Duration.ofSeconds(45)).until(() -> app.ledger().state(HUBSPOT, deal) == CommandLedger.State.DEAD
                && app.ledger().state(HUBSPOT, id + ":callback:0") == CommandLedger.State.DONE);
        crms.faults(HUBSPOT, "{}"); // the cause is fixed: HubSpot takes the deal now

        browser.get(app.uri("/console").toString());
        browser.findElement(By.id("api-key")).sendKeys(ADMIN);
        browser.findElement(By.id("use-key")).click();

        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.until(b -> b.findElement(By.id("key-status")).getText().equals("Key accepted."));
        assertThat(text(wait, "#health tr[data-check='hubspot'] .health-state")).isEqualTo("up");
        String row = "#dlq [data-crm='hubspot'] tr[data-id='" + deadLetterId(id) + "']";
        String reason = text(wait, row + " .reason");
        assertThat(reason).contains("rejected", "HTTP 400", "Property values were not valid: j***@*** (+41*******42) has no owner")
                .doesNotContain("dupont", "200 00 42");
        assertThat(text(wait, row + " .status")).isEqualTo("open");
        assertThat(text(wait, "#events tr[data-event='" + id + "'] .caller")).isEqualTo("+41*******42");
        browser.findElement(By.id("reveal")).click();
        wait.until(b -> text(wait, row + " .reason").contains(email + " (+41 79 200 00 42)"));
        browser.findElement(By.id("reveal")).click();
        wait.until(b -> text(wait, row + " .reason").contains("j***@***"));

        browser.findElement(By.cssSelector(row + " button.replay")).click();

        wait.until(b -> b.findElement(By.id("replay-result")).getText().startsWith("hubspot: replayed 1"));
        await().atMost(Duration.ofSeconds(30)).until(() -> crms.records(HUBSPOT, "deals").stream()
                .anyMatch(d -> deal.equals(d.at("/properties/callbridge_command_id").asText())));
        wait.until(ExpectedConditions.textToBe(By.cssSelector(row + " .status"), "replayed"));
        assertThat(browser.findElements(By.cssSelector("#health tr[data-check^='route:']"))).as("routes that are up are left out").isEmpty();
        browser.findElement(By.id("refresh")).click();
        wait.until(b -> "hubspot done".equals(text(wait, "#events tr[data-event='" + id + "'] .crms")));
        screenshot();
    }

    @Test
    void anUnknownKeyIsSaidSoAndTheDryRunShowsThePlanForTheAdminKey() {
        browser.get(app.uri("/console").toString());
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        browser.findElement(By.id("api-key")).sendKeys("not-a-key");
        browser.findElement(By.id("use-key")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("key-status"), "Unknown API key"));

        browser.findElement(By.id("api-key")).sendKeys(ADMIN);
        browser.findElement(By.id("use-key")).click();
        wait.until(ExpectedConditions.textToBe(By.id("key-status"), "Key accepted."));
        ObjectNode event = Events.exampleWithNewId();
        browser.findElement(By.id("plan-event")).sendKeys(event.toString());
        browser.findElement(By.id("plan-run")).click();

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("plan-result"), event.get("id").asText() + ":hot-lead:0"));
        assertThat(browser.findElement(By.id("plan-result")).getText()).contains("\"crm\": \"hubspot\"", "/crm/v3/objects/deals");
    }

    /** The id ({@code <partition>-<offset>}) the API gives the event's dead letter. */
    private static String deadLetterId(String eventId) {
        return app.deadLetters(HUBSPOT, ADMIN, eventId).get(0).get("id").asText();
    }

    /** The text of an element once it is there; the page re-renders tables, so a vanished element is looked up again. */
    private static String text(WebDriverWait wait, String css) {
        return wait.ignoring(StaleElementReferenceException.class).until(b -> {
            List<WebElement> found = b.findElements(By.cssSelector(css));
            return found.isEmpty() ? null : found.get(0).getText();
        });
    }

    private void screenshot() throws IOException {
        String dir = System.getProperty("callbridge.screenshots");
        if (dir == null || dir.isBlank()) {
            return;
        }
        Path target = Path.of(dir).resolve("console.png");
        Files.createDirectories(target.getParent());
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }
}
