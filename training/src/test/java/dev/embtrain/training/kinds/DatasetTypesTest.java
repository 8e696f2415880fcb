package dev.embtrain.training.kinds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.embtrain.training.config.DatasetConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every {@code dataset.type} the config accepts has one entry, under the same name, with the reader its data needs. */
class DatasetTypesTest {

    @Test
    void everyDatasetVariantHasOneEntryUnderItsName() {
        Map<String, Class<?>> entries = new LinkedHashMap<>();
        DatasetTypes.all().forEach(t -> entries.put(t.name(), t.config()));
        assertEquals(new LinkedHashMap<String, Class<?>>(DatasetConfig.VARIANTS.byName()), entries);
    }

    @Test
    void eachEntryHasExactlyTheReaderOfItsData() {
        for (DatasetTypes.DatasetType t : DatasetTypes.all()) {
            DatasetTypes.Data d = t.data();
            if (d == DatasetTypes.Data.RATINGS) {
                assertNotNull(t.ratings(), t.name());
            } else {
                assertNull(t.ratings(), t.name());
            }
            if (d == DatasetTypes.Data.SESSIONS) {
                assertNotNull(t.sessions(), t.name());
                assertEquals(2, t.labelColumns().size(), t.name());
            } else {
                assertNull(t.sessions(), t.name());
            }
            if (d == DatasetTypes.Data.LABELLED) {
                assertNotNull(t.labelled(), t.name());
            } else {
                assertNull(t.labelled(), t.name());
            }
        }
    }
}
