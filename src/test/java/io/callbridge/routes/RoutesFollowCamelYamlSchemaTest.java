package io.callbridge.routes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.apache.camel.dsl.yaml.YamlRoutesBuilderLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Integrators open the routes in Camel's own editors, which check them against the schema shipped
 * inside camel-yaml-dsl; every route file must pass it, and every route must carry an id.
 */
class RoutesFollowCamelYamlSchemaTest {

    private static final YAMLMapper YAML = new YAMLMapper();
    /** Read once: compiling the 800 KB schema for each route file took a fifth of the fast tier's time. */
    private static JsonSchema schema;

    private static synchronized JsonSchema schema() throws IOException {
        if (schema == null) {
            try (InputStream in = YamlRoutesBuilderLoader.class.getResourceAsStream("/schema/camelYamlDsl.json")) {
                assertThat(in).as("camelYamlDsl.json inside camel-yaml-dsl").isNotNull();
                schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
            }
        }
        return schema;
    }

    static Stream<Path> routeFiles() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("routes"))) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        return files.stream();
    }

    @ParameterizedTest
    @MethodSource("routeFiles")
    void validatesAgainstCamelYamlDslSchema(Path file) throws IOException {
        JsonNode routes = YAML.readTree(file.toFile());
        Set<ValidationMessage> errors = schema().validate(routes);
        assertThat(errors).as(file + " against camelYamlDsl.json").isEmpty();
    }

    @ParameterizedTest
    @MethodSource("routeFiles")
    void everyRouteAndRouteConfigurationHasAnId(Path file) throws IOException {
        for (JsonNode item : YAML.readTree(file.toFile())) {
            JsonNode definition = item.has("route") ? item.get("route")
                    : item.has("routeConfiguration") ? item.get("routeConfiguration")
                    : item.get("routeTemplate");
            if (definition != null) {
                assertThat(definition.path("id").asText()).as("id in " + file).isNotBlank();
            }
        }
    }
}
