package org.iopoutcomes.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium (Debian package {@code chromium}) for the report tests: the rendered DOM of a local file and
 * the URL requests the page itself made, read from Chromium's net log. Chromium's own background traffic
 * (update checks, account lookups) is in the net log too; a page's requests are told apart by their network
 * partition, the page's site ({@code file://}), which browser traffic never has.
 */
final class Chromium {
    /** What one headless load of a page gave. */
    record Load(String dom, List<String> pageRequests) {}

    private Chromium() {}

    /** The browser: {@code $CHROMIUM}, else chromium or chromium-browser on the PATH. Fails (never skips) without it. */
    static String binary() {
        String configured = System.getenv("CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        fail("headless Chromium is needed to test report.html and was not found (set CHROMIUM, or on Debian: "
                + "apt-get install -y chromium; .ci/run installs it)");
        return null;
    }

    static List<String> baseArgs(Path userDataDir) {
        return new ArrayList<>(List.of(binary(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--user-data-dir=" + userDataDir));
    }

    /** Loads the file with a fresh empty profile, returning the DOM after load and the page's own requests. */
    static Load load(Path page, Path workDir) throws IOException, InterruptedException {
        Path profile = Files.createDirectories(workDir.resolve("profile"));
        try (var entries = Files.list(profile)) {
            assertEquals(0, entries.count(), "the Chromium profile must start empty");
        }
        Path netLog = workDir.resolve("netlog.json");
        List<String> command = baseArgs(profile);
        command.addAll(List.of("--log-net-log=" + netLog, "--dump-dom", page.toUri().toString()));
        Path out = workDir.resolve("dom.html");
        Path err = workDir.resolve("chromium.err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("Chromium did not finish within 120 s: " + Files.readString(err));
        }
        assertEquals(0, process.exitValue(), "Chromium failed: " + Files.readString(err));
        String dom = Files.readString(out, StandardCharsets.UTF_8);
        assertTrue(Files.isRegularFile(netLog), "Chromium wrote no net log");
        return new Load(dom, pageRequests(netLog));
    }

    /** URLs of requests started for the page (network partition of a file:// page), in the net log. */
    static List<String> pageRequests(Path netLog) throws IOException {
        JsonNode log = new ObjectMapper().readTree(netLog.toFile());
        int startJob = log.at("/constants/logEventTypes/URL_REQUEST_START_JOB").asInt(-1);
        assertTrue(startJob >= 0, "net log without URL_REQUEST_START_JOB events: format changed?");
        List<String> urls = new ArrayList<>();
        for (JsonNode event : log.path("events")) {
            if (event.path("type").asInt() != startJob) {
                continue;
            }
            JsonNode params = event.path("params");
            String partition = params.path("network_isolation_key").asText("");
            String site = params.path("site_for_cookies").asText("");
            if (partition.startsWith("file://") || site.contains("site=file://")) {
                urls.add(params.path("url").asText());
            }
        }
        return urls;
    }

    /** Count of URL_REQUEST_START_JOB events of any origin (browser traffic included). */
    static int allRequests(Path netLog) throws IOException {
        JsonNode log = new ObjectMapper().readTree(netLog.toFile());
        int startJob = log.at("/constants/logEventTypes/URL_REQUEST_START_JOB").asInt(-1);
        int n = 0;
        for (Iterator<JsonNode> it = log.path("events").elements(); it.hasNext(); ) {
            if (it.next().path("type").asInt() == startJob) {
                n++;
            }
        }
        return n;
    }

    /** The text a reader sees: the body without tags, entities decoded, white space collapsed. */
    static String visibleText(String dom) {
        String body = dom.replaceAll("(?s)<head>.*?</head>", " ").replaceAll("(?s)<style.*?</style>", " ")
                .replaceAll("(?s)<title>.*?</title>", " ").replaceAll("<[^>]+>", " ");
        for (Map.Entry<String, String> e : Map.of("&lt;", "<", "&gt;", ">", "&quot;", "\"", "&#39;", "'",
                "&nbsp;", " ").entrySet()) {
            body = body.replace(e.getKey(), e.getValue());
        }
        body = body.replace("&amp;", "&");
        return body.replaceAll("\\s+", " ").trim();
    }
}
