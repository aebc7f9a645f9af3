package io.callbridge.architecture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.callbridge.support.ProductionCatalog;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Outside {@code crm.<name>} and {@code sandbox.<name>}, no production source names a CRM in a string:
 * no CRM-name literal, no {@code switch} over CRM names, no {@code callbridge.crm.<name>.} key. (Comments
 * may name CRMs; code knows them only through the catalog.) Shown to fail on a source that does.
 */
class CrmNamesStayHomeTest {

    private static final Path MAIN = Path.of("src/main/java/io/callbridge");
    /** Intake's own signed webhook ({@code callbridge.webhook.*}) is not the webhook CRM. */
    private static final Pattern INTAKE_WEBHOOK = Pattern.compile("callbridge\\.webhook\\.");

    @Test
    void noProductionSourceOutsideACrmsPackagesNamesIt() throws IOException {
        List<String> crms = catalogNames();
        assertThat(crms).as("the catalog").contains("salesforce", "hubspot", "pipedrive", "webhook");
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (!isOwnPackage(MAIN.relativize(f), crms)) {
                    found.addAll(namings(f.toString(), Files.readString(f), crms));
                }
            }
        }
        assertThat(found).as("string literals naming a CRM outside its packages").isEmpty();
    }

    @Test
    void theCheckFindsALiteralASwitchAndAKeyButNotAComment() {
        String source = """
                // salesforce is mentioned in a comment, which is fine
                class X {
                    /** so is hubspot here */
                    String url(String crm) {
                        switch (crm) {
                            case "salesforce": return "login-url";
                            default: return "base-url";
                        }
                    }
                    String key = "callbridge.crm.pipedrive.token";
                    String fine = "http://example.test/x"; // "hubspot" inside a comment after a URL
                }
                """;
        assertThat(namings("X.java", source, List.of("salesforce", "hubspot", "pipedrive")))
                .hasSize(2).anyMatch(s -> s.contains("\"salesforce\"")).anyMatch(s -> s.contains("pipedrive.token"));
    }

    private static boolean isOwnPackage(Path relative, List<String> crms) {
        return relative.getNameCount() > 2 && (relative.getName(0).toString().equals("crm")
                || relative.getName(0).toString().equals("sandbox")) && crms.contains(relative.getName(1).toString());
    }

    static List<String> catalogNames() {
        return ProductionCatalog.load().names();
    }

    /** The string literals of a Java source that name one of the CRMs, as {@code file: "literal"}. */
    static List<String> namings(String file, String source, List<String> crms) {
        List<String> out = new ArrayList<>();
        for (String literal : literals(source)) {
            String lower = INTAKE_WEBHOOK.matcher(literal.toLowerCase(Locale.ROOT)).replaceAll("");
            for (String crm : crms) {
                if (Pattern.compile("(^|[^a-z0-9])" + crm + "([^a-z0-9]|$)").matcher(lower).find()) {
                    out.add(file + ": \"" + literal + "\"");
                }
            }
        }
        return out;
    }

    /** The contents of the string literals, comments skipped. */
    private static List<String> literals(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '/') {
                i = s.indexOf('\n', i);
                i = i < 0 ? s.length() : i;
            } else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
                i = s.indexOf("*/", i + 2);
                i = i < 0 ? s.length() : i + 2;
            } else if (c == '\'') {
                i = s.charAt(i + 1) == '\\' ? s.indexOf('\'', i + 3) + 1 : i + 3;
            } else if (c == '"') {
                StringBuilder b = new StringBuilder();
                i++;
                while (i < s.length() && s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\') {
                        b.append(s.charAt(i++));
                    }
                    b.append(s.charAt(i++));
                }
                out.add(b.toString());
                i++;
            } else {
                i++;
            }
        }
        return out;
    }
}
