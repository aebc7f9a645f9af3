package io.callbridge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.callbridge.config.Setting;
import io.callbridge.support.ProductionCatalog;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the README and application.properties say about configuration is what the code declares: the
 * README's configuration table is exactly the declared keys with their defaults and descriptions, and the
 * README, application.properties and the catalog name the same CRMs, those Callbridge can reach.
 */
class DocumentedConfigurationTest {

    /** Every CRM the product promises (DESIGN.md); a CRM is named only once the catalog has it. */
    private static final List<String> PROMISED = List.of("salesforce", "hubspot", "pipedrive", "zoho", "monday", "notion", "webhook");

    @Test
    void theReadmesConfigurationTableIsTheDeclaredKeys() throws IOException {
        String expected = table(Callbridge.settings(ProductionCatalog.load()));
        assertThat(readmeTable()).as("README.md, section Configuration: the table the declarations make is\n" + expected)
                .isEqualTo(expected);
    }

    @Test
    void everyKeyIsDeclaredOnce() {
        List<String> keys = Callbridge.settings(ProductionCatalog.load()).stream().map(Setting::key).toList();
        assertThat(keys).doesNotHaveDuplicates();
    }

    @Test
    void theReadmeApplicationPropertiesAndTheCatalogNameTheSameCrms() throws IOException {
        List<String> catalog = ProductionCatalog.load().names();
        String readme = Files.readString(Path.of("README.md"));
        String firstParagraph = readme.substring(readme.indexOf("\n\n") + 2, readme.indexOf("\n\n", readme.indexOf("\n\n") + 2))
                .toLowerCase(Locale.ROOT);
        List<String> named = PROMISED.stream().filter(firstParagraph::contains).toList();
        assertThat(named).as("CRMs the README's first paragraph names").containsExactlyInAnyOrderElementsOf(catalog);

        List<String> listed = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^callbridge\\.crm\\.([a-z0-9]+)\\.enabled=").matcher(
                Files.readString(Path.of("src/main/resources/application.properties")));
        while (m.find()) {
            listed.add(m.group(1));
        }
        assertThat(listed).as("CRMs application.properties lists").containsExactlyElementsOf(catalog);
    }

    @Test
    void theTableShowsAKeyItsDefaultAndWhatItMeans() {
        assertThat(table(List.of(Setting.of("callbridge.x.port", "8080", "the port"), Setting.of("callbridge.x.secret", null, "a secret"))))
                .isEqualTo("| `callbridge.x.port` | `8080` | the port |\n| `callbridge.x.secret` | – | a secret |\n");
    }

    static String table(List<Setting> settings) {
        StringBuilder b = new StringBuilder();
        for (Setting s : settings) {
            b.append("| `").append(s.key()).append("` | ").append(s.defaultValue() == null ? "–" : "`" + s.defaultValue() + "`")
                    .append(" | ").append(s.description()).append(" |\n");
        }
        return b.toString();
    }

    /** The rows of the README's configuration table, below its header. */
    private static String readmeTable() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        int section = lines.indexOf("## Configuration");
        assertThat(section).as("README.md has a section Configuration").isPositive();
        StringBuilder rows = new StringBuilder();
        boolean inTable = false;
        for (String line : lines.subList(section, lines.size())) {
            if (line.startsWith("| ---")) {
                inTable = true;
            } else if (inTable && line.startsWith("|")) {
                rows.append(line).append('\n');
            } else if (inTable) {
                break;
            }
        }
        return rows.toString();
    }
}
