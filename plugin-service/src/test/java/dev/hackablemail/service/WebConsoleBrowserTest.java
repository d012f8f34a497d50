package dev.hackablemail.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hackablemail.filter.Filter;
import dev.hackablemail.filter.FilterConfig;
import dev.hackablemail.filter.MailMessage;
import dev.hackablemail.filter.Outcome;
import dev.hackablemail.filter.Sendmail;
import dev.hackablemail.store.GuestStore;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real browser: Debian's chromium, headless, driven through its
 * chromedriver by Selenium (both named explicitly, so Selenium Manager never downloads
 * anything; .ci/install-browser.sh installs them). The service is the real one (the real
 * gate, a folder store), and mail goes through the real filter core over the same store.
 *
 * <p>Screenshots of the main pages land in {@code target/console-screenshots}; with
 * {@code -Dconsole.screenshots=DIR} they are copied there too (the README's are in docs/).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebConsoleBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final String OPERATOR = "ops@example.com";

    Path tmp;
    Fixture fx;
    WebDriver browser;
    Filter filter;
    final List<String> sent = Collections.synchronizedList(new ArrayList<>());
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    void start(@TempDir Path folder) throws IOException {
        tmp = folder;
        assertThat(CHROMIUM).as("chromium is missing: run .ci/install-browser.sh").isExecutable();
        assertThat(CHROMEDRIVER).as("chromedriver is missing: run .ci/install-browser.sh").isExecutable();
        fx = new Fixture(tmp.resolve("service"), "  admins: [" + OPERATOR + "]\n");
        Map<String, Object> values = new HashMap<>(fx.config.store().asMap());
        values.put("log", "");
        values.put("signup_address", "it@example.com");
        values.put("service", Map.of("public_url", fx.url()));
        Sendmail sendmail = (args, message) -> {
            sent.add(new String(message, StandardCharsets.UTF_8));
            return Sendmail.Result.OK;
        };
        filter = new Filter(FilterConfig.fromMap(values, "test"), sendmail, Clock.systemUTC());

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createDirectories(tmp.resolve("chromium-profile")),
                "--window-size=1200,900");
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        browser = new ChromeDriver(driver, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (filter != null) {
            filter.close();
        }
        if (fx != null) {
            fx.close();
        }
    }

    @BeforeEach
    void signedOut() {
        browser.get(fx.url() + "/signin");
        browser.manage().deleteAllCookies();
        browser.manage().window().setSize(new Dimension(1200, 900));
    }

    // ---- helpers ----

    /** Signs {@code address} up by mail, through the filter; returns the invitation's sign-in link. */
    String signUpByMail(String address) {
        sent.clear();
        Outcome outcome = mail(address, "it@example.com", "/hackablemail signup", "please");
        assertThat(outcome.exitCode()).as(outcome.log()).isZero();
        String invitation = sent.stream().map(m -> MailMessage.parse(m.getBytes(StandardCharsets.UTF_8)).body())
                .filter(m -> m.contains("/signin?code=")).findFirst().orElseThrow();
        Matcher link = Pattern.compile("(http://\\S+/signin\\?code=[A-Za-z0-9_-]+)").matcher(invitation);
        assertThat(link.find()).as(invitation).isTrue();
        return link.group(1);
    }

    Outcome mail(String sender, String recipient, String subject, String body) {
        String message = "From: " + sender + "\r\nTo: " + recipient + "\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + System.nanoTime() + "@example.org>\r\n\r\n" + body + "\r\n";
        return filter.process(sender, recipient, message.getBytes(StandardCharsets.UTF_8));
    }

    void signInWithLink(String link) {
        browser.get(link);
        click(By.id("signin-link"));
    }

    String signInWithToken(String address) throws IOException {
        String token = fx.signUp(address);
        browser.get(fx.url() + "/signin");
        browser.findElement(By.id("token")).sendKeys(token);
        click(By.id("signin-token"));
        assertThat(browser.getCurrentUrl()).as(this::page).endsWith("/plugin");
        return token;
    }

    void push(Path wasm) {
        browser.get(fx.url() + "/push");
        browser.findElement(By.id("wasm")).sendKeys(wasm.toAbsolutePath().toString());
        click(By.id("push"));
    }

    /** Clicks something that loads a new page, and waits until that page is there. */
    void click(By by) {
        WebElement old = browser.findElement(By.tagName("html"));
        try {
            browser.findElement(by).click();
        } catch (org.openqa.selenium.WebDriverException e) {
            // chromedriver now and then loses a node it just found ("does not belong to the
            // document"); the click did not happen then, so it is tried once more
            if (!ExpectedConditions.stalenessOf(old).apply(browser)) {
                browser.findElement(by).click();
            }
        }
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.ignoring(org.openqa.selenium.WebDriverException.class);
        wait.until(ExpectedConditions.stalenessOf(old));
        wait.until(d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
    }

    /** The page's text, for failure messages. */
    String page() {
        return browser.findElement(By.tagName("body")).getText();
    }

    String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    String session() {
        Cookie cookie = browser.manage().getCookieNamed("hackable_session");
        return cookie == null ? null : cookie.getValue();
    }

    String csrf() {
        return browser.findElement(By.name("csrf")).getAttribute("value");
    }

    HttpResponse<String> post(String path, String cookie, String form) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fx.url() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (cookie != null) {
            b.header("Cookie", "hackable_session=" + cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    void screenshot(String name) throws IOException {
        Path dir = Files.createDirectories(Path.of("target/console-screenshots"));
        Path file = dir.resolve("console-" + name + ".png");
        Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        String copyTo = System.getProperty("console.screenshots");
        if (copyTo != null && !copyTo.isBlank()) {
            Files.copy(file, Files.createDirectories(Path.of(copyTo)).resolve(file.getFileName()),
                    StandardCopyOption.REPLACE_EXISTING);
        }
    }

    int activeVersion(String address) throws IOException {
        Integer v = fx.service.store().active(address).version();
        return v == null ? 0 : v;
    }

    // ---- signing in and out ----

    @Test
    void theInvitationsLinkSignsInOnceAndIsRefusedWhenReplayed() throws IOException {
        String link = signUpByMail("alice@example.com");
        browser.get(link);
        screenshot("signin");
        click(By.id("signin-link"));
        assertThat(browser.getCurrentUrl()).endsWith("/plugin");
        assertThat(browser.findElement(By.className("who")).getText()).isEqualTo("alice@example.com");
        assertThat(text("active")).contains("No plugin is active");

        browser.manage().deleteAllCookies();
        signInWithLink(link);
        assertThat(text("message")).contains("used already or has expired");
        assertThat(browser.getCurrentUrl()).endsWith("/signin");
        assertThat(session()).isNull();
    }

    @Test
    void theCookieIsHttpOnlyAndSameSiteStrict() throws Exception {
        String token = fx.signUp("cookie@example.com");
        HttpResponse<String> r = post("/signin", null, "token=" + token);
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Set-Cookie").orElseThrow())
                .startsWith("hackable_session=").contains("HttpOnly", "SameSite=Strict", "Path=/")
                .doesNotContain("Secure"); // the public URL is http here
        assertThat(post("/signin", null, "token=not-a-token").statusCode()).isEqualTo(401);
    }

    @Test
    void signingOutEndsTheSessionOnTheServer() throws IOException {
        signInWithToken("bye@example.com");
        String old = session();
        click(By.id("signout"));
        assertThat(browser.getCurrentUrl()).contains("/signin");
        assertThat(text("message")).isEqualTo("You are signed out.");
        browser.manage().addCookie(new Cookie("hackable_session", old));
        browser.get(fx.url() + "/plugin");
        assertThat(browser.getCurrentUrl()).as("the old cookie no longer works").endsWith("/signin");
    }

    // ---- pushing, rolling back ----

    @Test
    void anAcceptedPushGoesLiveAndShowsItsChecks() throws IOException {
        signInWithToken("pusher@example.com");
        push(TestModules.EXAMPLE);
        assertThat(text("verdict")).isEqualTo("Accepted: version 1 is live");
        assertThat(text("report")).contains("schema and imports", "passed", "contract", "server", "fuzz onEmail");
        screenshot("push-accepted");
        assertThat(activeVersion("pusher@example.com")).isEqualTo(1);

        browser.get(fx.url() + "/plugin");
        assertThat(text("active")).contains("Version 1 is active", "contract:", "passed", "by guest");
        assertThat(browser.findElement(By.className("digest")).getText())
                .isEqualTo(fx.service.store().active("pusher@example.com").sha256());
        screenshot("plugin");
    }

    @Test
    void aPushWithTheAuthorsOwnSimulationRunsItAfterTheServersChecks() throws IOException {
        signInWithToken("author@example.com");
        browser.get(fx.url() + "/push");
        browser.findElement(By.id("wasm")).sendKeys(TestModules.EXAMPLE.toAbsolutePath().toString());
        browser.findElement(By.id("simulation")).sendKeys(
                TestModules.HOME.resolve("simulations/dist/test.wasm").toAbsolutePath().toString());
        click(By.id("push"));
        assertThat(text("verdict")).as(this::page).isEqualTo("Accepted: version 1 is live");
        assertThat(text("report")).contains("test.wasm", "author", "contract", "server");
        assertThat(fx.service.store().attachments("author@example.com", 1))
                .extracting(GuestStore.Attachment::name).containsExactly("test.wasm");
    }

    @Test
    void aRejectedPushShowsWhyAndChangesNothing() throws IOException {
        signInWithToken("fuzzed@example.com");
        push(TestModules.EXAMPLE);
        push(TestModules.HOME.resolve("fuzz-targets/dist/utf8-trap.wasm"));
        assertThat(text("verdict")).isEqualTo("Rejected: nothing went live");
        assertThat(text("report")).contains("version 1 stays active");
        assertThat(text("reasons")).contains("contract simulation: Non-ASCII headers and body",
                "onEmail trapped: Trapped on unreachable instruction");
        screenshot("push-rejected");
        assertThat(activeVersion("fuzzed@example.com")).isEqualTo(1);

        Path notWasm = Files.writeString(tmp.resolve("notes.wasm"), "this is not a wasm module\n");
        push(notWasm);
        assertThat(text("verdict")).isEqualTo("Rejected: nothing went live");
        assertThat(text("reasons")).isNotBlank();
        assertThat(activeVersion("fuzzed@example.com")).isEqualTo(1);
    }

    @Test
    void aRollbackAsksFirstThenRunsTheGateAgain() throws IOException {
        signInWithToken("roller@example.com");
        push(TestModules.EXAMPLE);
        push(fx.file("exact-subject.wasm", TestModules.exactSubject()));
        assertThat(text("verdict")).as(this::page).isEqualTo("Accepted: version 2 is live");
        browser.get(fx.url() + "/versions");
        assertThat(text("version-2")).contains("(active)");
        screenshot("versions");
        click(By.cssSelector("#version-1 a.button"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Make version 1 active again?");
        assertThat(activeVersion("roller@example.com")).as("nothing happens before the confirmation").isEqualTo(2);
        click(By.id("confirm"));
        assertThat(text("message")).isEqualTo("Version 1 is active again.");
        assertThat(text("report")).contains("schema and imports");
        assertThat(activeVersion("roller@example.com")).isEqualTo(1);

        browser.get(fx.url() + "/versions");
        click(By.id("remove"));
        click(By.id("confirm"));
        assertThat(text("message")).startsWith("Your plugin is removed");
        assertThat(fx.service.store().active("roller@example.com").any()).isFalse();
    }

    // ---- recent mail ----

    @Test
    void recentMailShowsWhatTheFilterDidAndEscapesTheSubject() throws IOException {
        String link = signUpByMail("nina@example.com");
        signInWithLink(link);
        push(TestModules.EXAMPLE);
        assertThat(text("verdict")).startsWith("Accepted");
        String script = "<script>alert('owned')</script> Project XYZ <b>bold</b>";
        assertThat(mail("carol@example.org", "nina@example.com", "Lunch?", "hi").exitCode()).isZero();
        assertThat(mail("dave@example.org", "nina@example.com", script, "hi").exitCode()).isZero();
        assertThat(mail("dave@example.org", "nina@example.com", "Project XYZ again", "hi").exitCode()).isZero();
        assertThat(mail("carol@example.org", "other@example.com", "not mailer's", "hi").exitCode()).isZero();

        browser.get(fx.url() + "/mail");
        List<WebElement> rows = browser.findElements(By.cssSelector("#mail tbody tr"));
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0).getText()).contains("dave@example.org", "Project XYZ again", "delivered",
                "reply suppressed", "already sent to dave@example.org");
        assertThat(rows.get(1).findElement(By.className("subject")).getText()).isEqualTo(script);
        assertThat(rows.get(1).findElement(By.className("outcome")).getText()).isEqualTo("delivered, replied");
        assertThat(rows.get(2).getText()).contains("carol@example.org", "Lunch?", "delivered");
        assertThat(browser.getPageSource()).doesNotContain("<script>alert").doesNotContain("<b>bold");
        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        screenshot("mail");
        browser.manage().window().setSize(new Dimension(390, 844));
        browser.navigate().refresh();
        screenshot("mail-phone");
    }

    @Test
    void recentMailIsPagedNewestFirst() throws IOException {
        signInWithToken("busy@example.com");
        for (int i = 0; i < 60; i++) {
            fx.service.store().recordMail("busy@example.com", new GuestStore.MailRecord(
                    java.time.Instant.parse("2026-12-01T10:00:00Z").plusSeconds(i), "s" + i + "@example.org",
                    "mail " + i, "0123456789ab", 0, "delivered", null, 900));
        }
        browser.get(fx.url() + "/mail");
        List<WebElement> rows = browser.findElements(By.cssSelector("#mail tbody tr"));
        assertThat(rows).hasSize(50);
        assertThat(rows.get(0).getText()).contains("mail 59");
        click(By.id("older"));
        rows = browser.findElements(By.cssSelector("#mail tbody tr"));
        assertThat(rows).hasSize(10);
        assertThat(rows.get(9).getText()).contains("mail 0");
        assertThat(browser.findElements(By.id("older"))).isEmpty();
    }

    // ---- try a message ----

    @Test
    void tryingAMessageShowsTheReplyItWouldSendAndSendsNothing() throws IOException {
        signInWithToken("olga@example.com");
        push(TestModules.EXAMPLE);
        push(fx.file("exact-subject-2.wasm", TestModules.exactSubject()));
        sent.clear();
        browser.get(fx.url() + "/try");
        browser.findElement(By.id("sender")).clear();
        browser.findElement(By.id("sender")).sendKeys("peter@example.org");
        browser.findElement(By.id("message")).sendKeys("From: peter@example.org\nTo: olga@example.com\n"
                + "Subject: Status of Project XYZ <script>alert(1)</script>\nMessage-ID: <t1@example.org>\n\nWell?\n");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("version"))).selectByValue("1");
        click(By.id("try"));
        assertThat(text("decision")).as(this::page).isEqualTo("delivered (exit 0)");
        assertThat(text("trial")).contains("With version 1.", "The original message, unchanged.");
        assertThat(text("answer")).contains("peter@example.org",
                "RE: Status of Project XYZ <script>alert(1)</script>");
        assertThat(text("trial")).contains("Project XYZ is forbidden");
        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        screenshot("try");
        assertThat(sent).as("a trial sends nothing").isEmpty();
        assertThat(fx.service.store().recentMail("olga@example.com", 0, 10)).as("and keeps nothing").isEmpty();

        Path eml = Files.writeString(tmp.resolve("plain.eml"), "From: quinn@example.org\r\nTo: olga@example.com\r\n"
                + "Subject: lunch\r\n\r\nnoon?\r\n");
        browser.findElement(By.id("message")).clear();
        browser.findElement(By.id("eml")).sendKeys(eml.toAbsolutePath().toString());
        click(By.id("try"));
        assertThat(text("decision")).isEqualTo("delivered (exit 0)");
        assertThat(text("trial")).contains("With your active plugin.");
        assertThat(browser.findElements(By.id("answer"))).isEmpty();
    }

    // ---- security ----

    @Test
    void withoutASessionEveryPageSendsToSignInAndEveryActionIsRefused() throws Exception {
        for (String page : List.of("/plugin", "/push", "/versions", "/mail", "/aliases", "/admin")) {
            browser.get(fx.url() + page);
            assertThat(browser.getCurrentUrl()).as(page).endsWith("/signin");
        }
        assertThat(post("/plugin/remove", null, "csrf=x").statusCode()).isEqualTo(401);
        assertThat(post("/versions/1/rollback", "made-up-session", "csrf=x").statusCode()).isEqualTo(401);
    }

    @Test
    void aGuestSeesOnlyTheirOwnPluginAndMail() throws Exception {
        signInWithToken("erin@example.com");
        push(TestModules.EXAMPLE);
        mail("x@example.org", "erin@example.com", "for erin only", "hi");
        String erinsCsrf = csrf();
        browser.manage().deleteAllCookies();

        signInWithToken("frank@example.com");
        assertThat(text("active")).contains("No plugin is active");
        browser.get(fx.url() + "/mail");
        assertThat(text("no-mail")).isEqualTo("No mail went through your plugin yet.");
        assertThat(browser.getPageSource()).doesNotContain("for erin only");
        browser.get(fx.url() + "/versions");
        assertThat(browser.findElements(By.id("versions"))).isEmpty();
        browser.get(fx.url() + "/admin/guest?address=erin@example.com");
        assertThat(text("error")).contains("for the service's operators");

        // Erin's form token is no good in Frank's session, and Frank's actions only ever touch Frank.
        HttpResponse<String> r = post("/plugin/remove", session(), "csrf=" + erinsCsrf);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(fx.service.store().active("erin@example.com").any()).isTrue();
    }

    @Test
    void anActionWithoutTheFormsTokenIsRefused() throws Exception {
        signInWithToken("grace@example.com");
        push(TestModules.EXAMPLE);
        String cookie = session();
        String csrf = csrf();
        HttpResponse<String> r = post("/plugin/remove", cookie, "");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("security token is missing or wrong");
        assertThat(post("/plugin/remove", cookie, "csrf=wrong").statusCode()).isEqualTo(403);
        assertThat(fx.service.store().active("grace@example.com").any()).isTrue();
        assertThat(post("/plugin/remove", cookie, "csrf=" + csrf).statusCode()).isEqualTo(200);
        assertThat(fx.service.store().active("grace@example.com").any()).isFalse();
    }

    @Test
    void aScriptInAnAliasIsShownAsText() throws IOException {
        signInWithToken("heidi@example.com");
        browser.get(fx.url() + "/aliases");
        browser.findElement(By.id("aliases")).sendKeys("heidi.h@example.com\n<script>alert(1)</script>");
        click(By.id("save-aliases"));
        assertThat(text("message")).contains("is not a mail address");
        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        browser.findElement(By.id("aliases")).clear();
        browser.findElement(By.id("aliases")).sendKeys("heidi.h@example.com");
        click(By.id("save-aliases"));
        assertThat(text("message")).isEqualTo("Saved.");
        assertThat(fx.service.store().addressesOf("heidi@example.com")).contains("heidi.h@example.com");
    }

    // ---- the operator ----

    @Test
    void theOperatorSeesGuestsAndHealthAndRevokesAToken() throws Exception {
        String victim = "ivan@example.com";
        String token = fx.signUp(victim);
        signInWithToken(OPERATOR);
        browser.get(fx.url() + "/admin");
        assertThat(text("health")).contains("ok:", "not configured");
        assertThat(text("guests")).contains(victim, OPERATOR);
        screenshot("admin");
        browser.get(fx.url() + "/admin/revoke?address=" + victim);
        click(By.id("confirm"));
        assertThat(text("message")).isEqualTo(victim + "'s token is revoked and their sessions ended.");
        assertThat(fx.service.authenticate(token)).isEmpty();
        browser.get(fx.url() + "/admin/guest?address=" + victim);
        assertThat(text("audit")).contains("revoke", "admin", "revoked");
    }
}
