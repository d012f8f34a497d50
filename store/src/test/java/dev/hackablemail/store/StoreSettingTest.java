package dev.hackablemail.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreSettingTest {

    @TempDir
    Path tmp;

    @Test
    void aFolderIsTheDefaultWithItsCacheInside() {
        StoreSetting s = StoreSetting.read(Map.of());
        assertThat(s.folder()).isEqualTo(StoreSetting.DEFAULT_FOLDER);
        assertThat(s.cache()).isEqualTo(StoreSetting.DEFAULT_FOLDER.resolve(".compiled"));
        assertThat(StoreSetting.read(Map.of("store", "/srv/store")).cache()).isEqualTo(Path.of("/srv/store/.compiled"));
    }

    @Test
    void aPostgresqlUrlNamesUserHostPortAndDatabase() {
        StoreSetting s = StoreSetting.read(Map.of("store", "postgresql://mail@db.example.com:5433/hackable"));
        assertThat(s.isFolder()).isFalse();
        assertThat(s.postgres()).isEqualTo(new StoreSetting.Postgres("mail", "db.example.com", 5433, "hackable"));
        assertThat(s.postgres().jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:5433/hackable");
        assertThat(s.cache()).isEqualTo(StoreSetting.DEFAULT_CACHE);
        assertThat(StoreSetting.read(Map.of("store", "postgresql://mail@[::1]/h")).postgres())
                .isEqualTo(new StoreSetting.Postgres("mail", "::1", 5432, "h"));
        assertThat(s.describe()).isEqualTo("postgresql://mail@db.example.com:5433/hackable");
    }

    @Test
    void badSettingsSayWhatIsExpected() {
        assertThatThrownBy(() -> StoreSetting.read(Map.of("store", "postgresql://db.example.com/h")))
                .hasMessageContaining("USER@HOST:PORT/DATABASE");
        assertThatThrownBy(() -> StoreSetting.read(Map.of("store", "postgresql://u:secret@db/h")))
                .hasMessageContaining("PGPASSWORD");
        assertThatThrownBy(() -> StoreSetting.read(Map.of("store", "mysql://u@db/h")))
                .hasMessageContaining("neither a folder nor a URL");
        assertThatThrownBy(() -> StoreSetting.read(Map.of("store", "/srv/store", "store_password_file", "/x")))
                .hasMessageContaining("only for a PostgreSQL store");
    }

    @Test
    void thePasswordComesFromItsFileElsePgpassword() throws Exception {
        Path file = tmp.resolve("pw");
        Files.writeString(file, "s3cret\n");
        StoreSetting withFile = StoreSetting.read(Map.of("store", "postgresql://u@127.0.0.1:1/h",
                "store_password_file", file.toString(), "cache", tmp.toString()));
        // opening does not connect; a missing file is named
        withFile.open(false, name -> null).close();
        StoreSetting missing = StoreSetting.read(Map.of("store", "postgresql://u@127.0.0.1:1/h",
                "store_password_file", tmp.resolve("nope").toString()));
        assertThatThrownBy(() -> missing.open(false, name -> "x")).hasMessageContaining("nope: no such file");
    }
}
