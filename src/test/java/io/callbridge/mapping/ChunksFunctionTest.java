package io.callbridge.mapping;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code $chunks(text, max)} as templates call it: pieces within the limit, cut at spaces, joined back to the text. */
class ChunksFunctionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<String> chunks(String text, int max) throws MappingException {
        JsonNode input = JSON.createObjectNode().put("text", text);
        JsonNode out = Expression.compile("[$chunks(text, " + max + ")]", "test.jsonata", 1, ZoneId.of("Europe/Zurich")).evaluate(input);
        List<String> pieces = new ArrayList<>();
        out.forEach(p -> pieces.add(p.asText()));
        return pieces;
    }

    @Test
    void aShortTextIsOnePiece() throws MappingException {
        assertThat(chunks("Client Gold, question sur la commande 4411.", 2000)).containsExactly("Client Gold, question sur la commande 4411.");
    }

    @Test
    void tenThousandCharactersAreFivePiecesOfAtMostTwoThousandThatJoinBackToTheText() throws MappingException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; b.length() < 10_000; i++) {
            b.append("mot").append(i).append(i % 17 == 0 ? "\n" : " ");
        }
        String text = b.substring(0, 10_000);
        List<String> pieces = chunks(text, 2000);
        assertThat(pieces).hasSizeBetween(5, 6).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(2000));
        assertThat(String.join("", pieces)).isEqualTo(text);
        assertThat(pieces.subList(0, pieces.size() - 1)).as("cut after a space or a line break")
                .allSatisfy(p -> assertThat(Character.isWhitespace(p.charAt(p.length() - 1))).isTrue());
    }

    @Test
    void aTextWithoutSpacesIsCutAtTheLimitButNeverInsideAnEmoji() throws MappingException {
        String text = "a".repeat(1999) + "😀" + "b".repeat(10);
        List<String> pieces = chunks(text, 2000);
        assertThat(pieces.get(0)).hasSize(1999);
        assertThat(pieces.get(1)).startsWith("😀");
        assertThat(String.join("", pieces)).isEqualTo(text);
    }

    @Test
    void nothingGivesNothing() throws MappingException {
        JsonNode out = Expression.compile("$chunks(missing, 2000)", "test.jsonata", 1, ZoneId.of("UTC")).evaluate(JSON.createObjectNode());
        assertThat(out).isNull();
    }
}
