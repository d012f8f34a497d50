package dev.hackablemail.runner.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wabt.Wat2Wasm;
import com.dylibso.chicory.wasm.Parser;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The dictionary holds the words of a plugin's data segments. */
class DictionaryTest {

    @Test
    void readsTheWordsBetweenNulsAndControlBytes() {
        byte[] wasm = Wat2Wasm.parse("(module (memory 1)"
                + " (data (i32.const 16) \"Project XYZ\\00Subject\\00\\01\\02ab\\00RE: \\e2\\82\\ac\\00\\ff\\fe\\00123456\"))");

        Dictionary dictionary = Dictionary.fromDataSegments(Parser.parse(wasm));

        // "ab" is too short, "\ff\fe" is not UTF-8, "123456" has no letters
        assertThat(dictionary.tokens()).containsExactly("Project XYZ", "Subject", "RE: €");
    }

    @Test
    void theExamplePluginsMagicWordsAreInIt() {
        Dictionary dictionary = Dictionary.fromDataSegments(
                dev.hackablemail.runner.guest.GuestModule.load(Path.of("../example-plugin/dist/plugin.wasm")).wasm());

        assertThat(dictionary.tokens()).contains("Project XYZ", "Subject");
    }
}
