package io.callbridge.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.callbridge.crm.Crm;
import io.callbridge.crm.CrmCatalog;

/** The CRMs of the production catalog ({@code src/main/resources}), without the toy CRM the tests add. */
public final class ProductionCatalog {

    private ProductionCatalog() {
    }

    public static CrmCatalog load() {
        try {
            List<Crm> crms = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of("src/main/resources/META-INF/services/io.callbridge.crm.Crm"))) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    crms.add((Crm) Class.forName(line.trim()).getDeclaredConstructor().newInstance());
                }
            }
            return CrmCatalog.of(crms);
        } catch (IOException | ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
